import { randomUUID } from 'node:crypto';
import { send } from './service-process.js';

/** One HTTP attempt of the load, as the client saw it. status 0: no HTTP answer at all (socket error). */
export interface Attempt {
  kind: 'execution' | 'metric' | 'batch';
  /** The logical write this attempt belongs to: its client-chosen execution_id or its Idempotency-Key. */
  id: string;
  status: number;
  contentType?: string;
  retryAfter?: string;
  /** Idempotent-Replayed: the stored answer to an earlier attempt with this key. */
  replayed?: boolean;
  body?: Record<string, unknown>;
  socketError?: string;
  startedAt: number;
  endedAt: number;
}

/** A logical write the service acknowledged (2xx), and what it said it stored. */
export interface Acknowledged {
  kind: Attempt['kind'];
  id: string;
  metricIds: string[];
  at: number;
}

export interface LoadResult {
  attempts: Attempt[];
  acknowledged: Acknowledged[];
  /** Logical writes that never got a 2xx before the load ended: not acknowledged, so owed nothing. */
  unacknowledged: number;
}

export const LOAD_PIPELINE = 'outage_load';
const KINDS: Attempt['kind'][] = ['execution', 'metric', 'batch'];

function request(kind: Attempt['kind'], id: string, n: number): { path: string; headers: Record<string, string>; body: unknown } {
  const metric = (i: number) => ({ pipeline_name: LOAD_PIPELINE, metric_type: `load.m${i}`, metric_value: n + i, metadata: { key: id } });
  if (kind === 'execution') return { path: '/v1/executions', headers: {}, body: { execution_id: id, pipeline_name: LOAD_PIPELINE, row_counts: { read: n } } };
  if (kind === 'metric') return { path: '/v1/metrics', headers: { 'idempotency-key': id }, body: metric(0) };
  return { path: '/v1/metrics/batch', headers: { 'idempotency-key': id }, body: { metrics: [metric(0), metric(1), metric(2)] } };
}

function storedIds(kind: Attempt['kind'], body: Record<string, unknown>): string[] {
  if (kind === 'metric') return [body.metric_id as string];
  if (kind === 'batch') return body.metric_ids as string[];
  return [];
}

/**
 * Runs `workers` clients, each writing one logical write after another until `running()` turns false:
 * executions with a client-chosen execution_id, single metrics and batches of three with an
 * Idempotency-Key. A write that is not acknowledged is retried with the same id or key and body, as a
 * client should, so a write the server committed but whose answer was lost is answered again on retry
 * (200 existing execution, replayed metrics) instead of being written twice. `maxWrites` bounds each worker.
 */
export async function runLoad(port: number, auth: Record<string, string>, workers: number, running: () => boolean, maxWrites = 5_000): Promise<LoadResult> {
  const result: LoadResult = { attempts: [], acknowledged: [], unacknowledged: 0 };
  const worker = async (w: number) => {
    for (let n = 0; n < maxWrites && running(); n++) {
      const kind = KINDS[(w + n) % KINDS.length];
      const id = kind === 'execution' ? randomUUID() : `outage-${randomUUID()}`;
      const { path, headers, body } = request(kind, id, n);
      let acked = false;
      while (!acked && running()) {
        const attempt = await post(port, kind, id, path, { ...auth, ...headers }, body);
        result.attempts.push(attempt);
        acked = attempt.status >= 200 && attempt.status < 300;
        if (acked) result.acknowledged.push({ kind, id, metricIds: storedIds(kind, attempt.body ?? {}), at: attempt.endedAt });
        // Honouring Retry-After (5 s) would leave the outage nearly unsampled; a short pause keeps the load on.
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (!acked) result.unacknowledged++;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return result;
}

async function post(port: number, kind: Attempt['kind'], id: string, path: string, headers: Record<string, string>, body: unknown): Promise<Attempt> {
  const startedAt = performance.now();
  try {
    const answer = await send(port, 'POST', path, headers, body);
    const header = (name: string) => answer.headers[name] as string | undefined;
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    return { kind, id, status: answer.status, contentType: header('content-type'), retryAfter: header('retry-after'), replayed: header('idempotent-replayed') === 'true', body: parsed, startedAt, endedAt: performance.now() };
  } catch (error) {
    return { kind, id, status: 0, socketError: String(error), startedAt, endedAt: performance.now() };
  }
}

/** Samples GET /health/ready every `everyMs` until `running()` turns false. */
export async function sampleReadiness(port: number, running: () => boolean, everyMs = 100): Promise<{ status: number; startedAt: number; endedAt: number }[]> {
  const samples: { status: number; startedAt: number; endedAt: number }[] = [];
  while (running()) {
    const startedAt = performance.now();
    const status = await send(port, 'GET', '/health/ready').then((a) => a.status, () => 0);
    samples.push({ status, startedAt, endedAt: performance.now() });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return samples;
}
