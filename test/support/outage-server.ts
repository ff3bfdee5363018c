import { expect } from '@jest/globals';
import pg from 'pg';
import type { Acknowledged } from './outage-load.js';
import { send } from './service-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function waitForStatus(port: number, path: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await send(port, 'GET', path).then((a) => a.status, () => 0)) !== status) {
    if (Date.now() > deadline) throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Runs `statement` in a transaction of its own and keeps its locks until the returned release() is called. */
export async function holdLock(url: string, statement: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(statement);
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

/**
 * Freezes the server (SIGSTOP to the postmaster and to every backend of `application`): connections stay
 * open and new ones are accepted by the kernel, but nothing answers, as with a paused VM or a network
 * partition. Needs a superuser (to read postmaster.pid) and a process allowed to signal the server's.
 * Always call the returned thaw().
 */
export async function freeze(url: string, application: string): Promise<() => void> {
  const pids = await withClient(url, async (client) => {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [application]);
    const { rows: file } = await client.query<{ text: string }>(`select pg_read_file('postmaster.pid') as text`);
    return [Number(file[0].text.split('\n')[0]), ...rows.map((r) => r.pid)];
  });
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return () => pids.forEach((pid) => process.kill(pid, 'SIGCONT'));
}

/**
 * Every acknowledged write is in the database: each execution_id and each metric_id the service answered
 * with. And each Idempotency-Key wrote once however often it was retried, acknowledged or not: 1 row per
 * single metric, 3 per batch (an unacknowledged key may also have none).
 */
export async function expectAllStored(url: string, pipeline: string, acknowledged: Acknowledged[], kindOf: Map<string, Acknowledged['kind']>): Promise<void> {
  await withClient(url, async (client) => {
    const executionIds = acknowledged.filter((a) => a.kind === 'execution').map((a) => a.id);
    const { rows: executions } = await client.query<{ id: string }>(
      'select execution_id::text as id from pipeline_executions where execution_id = any($1::uuid[])',
      [executionIds],
    );
    expect(executions.map((r) => r.id).sort()).toEqual([...new Set(executionIds)].sort());

    const metricIds = acknowledged.flatMap((a) => a.metricIds);
    const { rows: metrics } = await client.query<{ id: string }>('select metric_id::text as id from data_quality_metrics where metric_id = any($1::uuid[])', [metricIds]);
    expect(metrics.map((r) => r.id).sort()).toEqual([...new Set(metricIds)].sort());

    const { rows: perKey } = await client.query<{ key: string; n: number }>(
      `select metadata->>'key' as key, count(*)::int as n from data_quality_metrics where pipeline_name = $1 group by 1`,
      [pipeline],
    );
    expect(perKey.filter((r) => r.n !== (kindOf.get(r.key) === 'metric' ? 1 : 3))).toEqual([]);
  });
}
