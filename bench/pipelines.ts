// The pipelines list (GET /v1/pipelines): pages of 50 at random keyset positions over a registry of
// BENCH_PIPELINES pipelines (default 10,000) with BENCH_PIPELINE_RUNS executions (default 10 million; the
// smoke run 2,000 and 200,000), generated with generate_series in a database of its own, against the baseline
// server issuing the same SQL. The target: p50 < 20 ms at 10,000 pipelines and 10 million runs.
import type { Request } from 'autocannon';
import pg from 'pg';
import { compareHttp } from './load.js';
import { row, withServers, type Scenario } from './scenario.js';

/** Index definitions dropped before the bulk insert and rebuilt after it: much faster than maintaining them row by row. */
async function withoutIndexes(client: pg.Client, table: string, work: () => Promise<void>): Promise<void> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `select indexname as name, indexdef as def from pg_indexes i
     where tablename = $1 and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [table],
  );
  for (const r of rows) await client.query(`drop index "${r.name}"`);
  await work();
  for (const r of rows) await client.query(r.def);
}

/**
 * Each pipeline runs every 8.76 hours over the past year (runs / pipelines of them); 94 % succeed, 5 % fail,
 * 1 % are cancelled; the newest run of one pipeline in 20 is still running. One in three expects a run
 * every hour, one in three a cron schedule (06:00 Berlin); owners, teams and tags repeat.
 */
async function seed(url: string, pipelines: number, runs: number): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      insert into pipelines (name, owner, team, tags, schedule_every, schedule_cron, schedule_timezone, first_seen_at)
      select 'pipe_' || lpad(i::text, 6, '0'), 'owner_' || (i % 200), 'team_' || (i % 20), array['t' || (i % 50)],
             case when i % 3 = 0 then interval '1 hour' end, case when i % 3 = 1 then '0 6 * * *' end,
             case when i % 3 = 1 then 'Europe/Berlin' end, now() - interval '366 days'
      from generate_series(1, ${pipelines}) i`);
    await withoutIndexes(client, 'pipeline_executions', () =>
      client.query(`
        insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, error_details)
        select lpad(to_hex(i), 32, '0')::uuid, 'pipe_' || lpad((1 + i % ${pipelines})::text, 6, '0'), s.status, s.started_at,
               case when s.status <> 'running' then s.started_at + interval '5 minutes' end,
               case when s.status = 'failed' then 'boom' end
        from generate_series(0, ${runs - 1}) i
        cross join lateral (
          select now() - (i / ${pipelines}) * interval '526 minutes' - interval '10 minutes' as started_at,
                 case when i < ${pipelines} and i % 20 = 0 then 'running'
                      when i % 100 < 94 then 'succeeded' when i % 100 < 99 then 'failed' else 'cancelled' end as status
          offset 0) s`).then(() => undefined),
    );
    await client.query('vacuum analyze pipelines, pipeline_executions');
  } finally {
    await client.end();
  }
  return Math.round((performance.now() - started) / 1000);
}

const pipelinesList: Scenario = {
  name: 'pipelines',
  description: 'GET /v1/pipelines?limit=50[&cursor=…] over a generated registry, 1 connection',
  async run(ctx) {
    const pipelines = Number(process.env.BENCH_PIPELINES ?? (ctx.smoke ? 2_000 : 10_000));
    const runs = Number(process.env.BENCH_PIPELINE_RUNS ?? (ctx.smoke ? 200_000 : 10_000_000));
    const url = await ctx.freshDatabase('pipelines');
    const seedSeconds = await seed(url, pipelines, runs);
    const page = (extra: string) => `/v1/pipelines?limit=50${extra}`;
    const cursor = (n: number) => Buffer.from(JSON.stringify({ n: `pipe_${String(n).padStart(6, '0')}` })).toString('base64url');
    const positions = Array.from({ length: 99 }, (_, i) => Math.floor(((i + 1) * pipelines) / 100));
    const requests: Request[] = [page(''), ...positions.map((n) => page(`&cursor=${cursor(n)}`))].map((path) => ({ method: 'GET', path }));
    const filtered: Request[] = [page('&team=team_7'), page('&tag=t3'), page('&q=pipe_00'), page('&health=failing')].map((path) => ({ method: 'GET', path }));
    const [plain, filters] = await withServers(ctx, url, async (app, baseline) => [
      await compareHttp(app, baseline, requests, { connections: 1, seconds: ctx.phaseSeconds }),
      await compareHttp(app, baseline, filtered, { connections: 1, seconds: ctx.phaseSeconds }),
    ]);
    const size = `${pipelines.toLocaleString('en')} pipelines, ${runs.toLocaleString('en')} runs`;
    const fast = (r: { app: { p50: number; errors: number } }) => r.app.p50 < 20 && r.app.errors === 0;
    return {
      rows: [
        { ...row(`list a page of 50 pipelines, ${size}, 1 connection`, plain, 'p50 < 20 ms', fast), note: `seeded in ${seedSeconds} s` },
        row(`list filtered by team, tag, name prefix, health=failing, ${size}`, filters, 'p50 < 20 ms', fast),
      ],
      details: { pipelines, runs, seedSeconds },
    };
  },
};

export const scenarios: Scenario[] = [pipelinesList];
