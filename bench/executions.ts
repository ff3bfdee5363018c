// Executions: create, transition (succeed), and a cursor page of one pipeline over a million rows, each
// against the baseline server issuing the same SQL on the same database.
import type { Request } from 'autocannon';
import pg from 'pg';
import { compareHttp } from './load.js';
import { atLeast, row, withServers, type Row, type Scenario } from './scenario.js';

const create: Scenario = {
  name: 'create',
  description: 'POST /v1/executions, 32 connections, into an empty table',
  async run(ctx) {
    const url = await ctx.freshDatabase('create');
    // 50 pipelines, server-chosen ids: every request records a new run.
    const requests: Request[] = Array.from({ length: 50 }, (_, i) => ({
      method: 'POST',
      path: '/v1/executions',
      body: JSON.stringify({ pipeline_name: `bench_pipe_${i}`, input_file: `s3://landing/bench_pipe_${i}/part-0001.parquet`, row_counts: { input: 1000 + i } }),
    }));
    const options = { connections: 32, seconds: ctx.phaseSeconds };
    const c = await withServers(ctx, url, (app, baseline) => compareHttp(app, baseline, requests, options));
    // The benchmark apps log at warn; production's default is info, one line per request: its price.
    const info = await withServers(ctx, url, (app, baseline) => compareHttp(app, baseline, requests, options), { LOG_LEVEL: 'info' });
    const judge = (r: Row) => atLeast(0.6)(r) && r.app.p99 <= 3 * (r.baseline?.p99 ?? 0);
    return {
      rows: [
        row('create an execution, 32 connections', c, 'ratio >= 0.6; p99 <= 3x baseline', judge),
        { ...row('create, 32 connections, app at LOG_LEVEL=info', info), note: 'the production default level, logs to /dev/null' },
      ],
    };
  },
};

const transition: Scenario = {
  name: 'transition',
  description: 'POST /v1/executions/{id}/events {type: succeed}, 32 connections, each on its own running execution',
  async run(ctx) {
    const url = await ctx.freshDatabase('transition');
    // More running executions than both sides can transition in the time given (a quiet machine does a
    // few thousand a second); each is succeeded once.
    const count = ctx.smoke ? 20_000 : 150_000;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(`
      insert into pipeline_executions (execution_id, pipeline_name, status, started_at)
      select gen_random_uuid(), 'bench_pipe_' || i % 50, 'running', now() - interval '1 hour' from generate_series(1, ${count}) i
      returning execution_id as id`);
    await client.query('vacuum analyze pipeline_executions');
    await client.end();
    const ids = rows.map((r) => r.id);
    let next = 0;
    const body = JSON.stringify({ type: 'succeed', row_counts: { output: 990 } });
    const requests: Request[] = [
      {
        method: 'POST',
        body,
        // An exhausted pool of ids goes to a path that answers 404, counted as errors: never a repeat.
        setupRequest: (request) => ({ ...request, path: `/v1/executions/${ids[next++] ?? '00000000-0000-0000-0000-000000000000'}/events` }),
      },
    ];
    const c = await withServers(ctx, url, (app, baseline) => compareHttp(app, baseline, requests, { connections: 32, seconds: ctx.phaseSeconds }));
    const r = row('transition (succeed), 32 connections', c, 'ratio >= 0.6', atLeast(0.6));
    return { rows: [{ ...r, note: `${Math.min(next, count)} of ${count} running executions used` }] };
  },
};

/** Cursor positions spread over a pipeline's history, as the app's cursors encode them. */
async function cursorRequests(url: string, pipelines: string[], perPipeline: number): Promise<Request[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const requests: Request[] = [];
  try {
    for (const pipeline of pipelines) {
      requests.push({ method: 'GET', path: `/v1/executions?pipeline_name=${pipeline}&limit=50` });
      const { rows } = await client.query<{ t: string; i: string }>(
        `select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t, execution_id as i
         from pipeline_executions tablesample system (5) where pipeline_name = $1 order by random() limit $2`,
        [pipeline, perPipeline],
      );
      for (const { t, i } of rows) {
        const cursor = Buffer.from(JSON.stringify({ s: '-started_at', t, i })).toString('base64url');
        requests.push({ method: 'GET', path: `/v1/executions?pipeline_name=${pipeline}&limit=50&cursor=${cursor}` });
      }
    }
  } finally {
    await client.end();
  }
  return requests;
}

const list: Scenario = {
  name: 'list',
  description: 'GET /v1/executions?pipeline_name=…&limit=50[&cursor=…] over the generated executions',
  async run(ctx) {
    const data = await ctx.dataDatabase('executions');
    // pipe_0 is the largest pipeline (about 1 in 8 rows), pipe_5 a middling one (about 1 in 75).
    const requests = await cursorRequests(data.url, ['pipe_0', 'pipe_5'], 99);
    const [busy, single] = await withServers(ctx, data.url, async (app, baseline) => [
      await compareHttp(app, baseline, requests, { connections: 8, seconds: ctx.phaseSeconds }),
      await compareHttp(app, baseline, requests, { connections: 1, seconds: ctx.phaseSeconds }),
    ]);
    const rows = `${data.rows.toLocaleString('en')} rows`;
    return {
      rows: [
        row(`list a page of 50 of one pipeline, ${rows}, 8 connections`, busy, 'ratio >= 0.6', atLeast(0.6)),
        row(`list a page of 50, ${rows}, 1 connection`, single, 'p50 < 10 ms', (r) => r.app.p50 < 10 && r.app.errors === 0),
      ],
      details: { rows: data.rows, generationSeconds: data.generationSeconds, cachedData: data.cached, requests: requests.length },
    };
  },
};

export const scenarios: Scenario[] = [create, transition, list];
