// OpenLineage ingestion (issue 7): START / COMPLETE pairs with statistics and quality facets posted to
// POST /api/v1/lineage, against plain pg issuing the same statements per event, and compared with the
// REST create scenario of the same run. Joins the harness (bench/run.ts) by exporting `scenarios`:
//   npm run bench:lineage                 the create scenario, then this one (compared with it)
//   npm run bench:lineage -- --smoke      a second of load each: proves it works, judges nothing
import type { Request } from 'autocannon';
import pg from 'pg';
import { loop } from './baseline.js';
import { eventStream, recordWithPg, type AppQueries } from './lineage-events.js';
import { interleaved, measure, sampleMemory } from './load.js';
import type { Row, Scenario } from './scenario.js';

const CONNECTIONS = 32;

const lineage: Scenario = {
  name: 'lineage',
  description: `POST /api/v1/lineage, START and COMPLETE of new runs with statistics and quality facets (8 metrics per COMPLETE), ${CONNECTIONS} connections, against plain pg issuing the same statements`,
  async run(ctx) {
    const url = await ctx.freshDatabase('lineage');
    const queries: AppQueries = {
      lineage: await ctx.appModule('src/lineage/lineage.sql.js'),
      reports: await ctx.appModule('src/audit/run-reports.sql.js'),
      metrics: await ctx.appModule('src/quality/metrics.sql.js'),
    };
    const app = await ctx.startApp(url);
    // As many connections as the app's pool (DB_POOL_MAX's default): the same database capacity each side.
    const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c TimeZone=UTC' });
    try {
      const next = eventStream();
      // Each request posts the next event of the stream: a run's START and COMPLETE go out on different
      // connections at nearly the same moment, so the app merges them in either order, as in production.
      const requests: Request[] = [{ method: 'POST', path: '/api/v1/lineage', setupRequest: (r) => ({ ...r, body: JSON.stringify(next().body) }) }];
      const viaApp = (seconds: number) => () => ctx.load({ base: app.base, connections: CONNECTIONS, seconds, headers: app.headers, requests: requests.map((r) => ({ ...r })) });
      const viaPg = (seconds: number) => () => loop(seconds, CONNECTIONS, 1, () => recordWithPg(pool, queries, next()));
      const memory = sampleMemory(app.pid);
      const result = await interleaved(viaApp(ctx.phaseSeconds), viaPg(ctx.phaseSeconds), { a: viaApp(1), b: viaPg(1) });
      const create = ctx.earlier.get('create')?.rows[0]?.app.rate;
      const events = measure(result.a);
      const row: Row = {
        measure: `OpenLineage START + COMPLETE with facets, ${CONNECTIONS} connections`,
        unit: 'events/s',
        app: events,
        baseline: measure(result.b),
        peakRssMiB: memory.stop().hwmMiB,
        target: 'report events/s and the ratio to create',
        note: create ? `${(events.rate / create).toFixed(2)} × create's ${Math.round(create)} req/s` : 'create not run: no ratio to it',
      };
      const stored = await counts(url);
      return { rows: [row], details: { connections: CONNECTIONS, stored, statusCodes: result.a.statusCodes } };
    } finally {
      await pool.end();
      await app.stop();
    }
  },
};

/** What both sides wrote, to show the work was done (and that no event was refused). */
async function counts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, number>>(
      `select (select count(*)::int from lineage_events) as events, (select count(*)::int from pipeline_executions) as executions,
              (select count(*)::int from pipeline_execution_events) as history, (select count(*)::int from data_quality_metrics) as metrics`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

export const scenarios: Scenario[] = [lineage];
