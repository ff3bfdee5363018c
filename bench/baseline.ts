// The baselines' client side: the node:http + pg server as a child process, and plain-pg bulk inserts.
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidV7 } from 'uuid';
import type { LoadResult } from './load.js';
import { APP_DIST, percentile, startServer } from './support.js';

export interface BaselineServer {
  base: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 of its /health (which runs `select 1` on its pool). */
  readyMs: number;
  cpuMs: number;
  stop(): Promise<void>;
}

/**
 * bench/baseline-server.ts on `url`. Node 24 runs it with its built-in type stripping, no loader, so
 * that its cold start is node's and pg's alone.
 */
export async function startBaseline(url: string): Promise<BaselineServer> {
  const server = await startServer([join(import.meta.dirname, 'baseline-server.ts')], { DATABASE_URL: url, BENCH_APP_DIST: APP_DIST }, '/health');
  return { base: server.base, pid: server.child.pid as number, readyMs: server.readyMs, cpuMs: server.cpuMs, stop: server.stop };
}

export interface MetricInput {
  pipeline_name: string;
  metric_type: string;
  metric_value: number;
  recorded_at: string;
  metadata: Record<string, unknown>;
}

/** Plain pg: one multi-row INSERT … VALUES per batch, time-ordered ids like the API's (the baseline). */
export async function insertWithPg(client: pg.Pool, rows: MetricInput[]): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    values.push(uuidV7(), r.pipeline_name, r.metric_type, r.metric_value, r.recorded_at, JSON.stringify(r.metadata));
    const b = i * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
  });
  await client.query(
    `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at, metadata) values ${tuples.join(', ')}`,
    values,
  );
}

/** `concurrency` loops calling `task` for `seconds`: a LoadResult like autocannon's, for non-HTTP baselines. */
export async function loop(seconds: number, concurrency: number, unitsPerCall: number, task: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let calls = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const i = calls++;
        await task(i).then(
          () => latencies.push(performance.now() - t),
          () => errors++,
        );
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: (latencies.length * unitsPerCall) / elapsed,
    seconds: elapsed,
    requests: calls,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    latencies,
    statusCodes: {},
  };
}
