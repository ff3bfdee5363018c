// Metrics: batch ingestion against plain pg, and the trend queries (latest, 30-day series) over the
// generated metrics, by pipeline and by dataset, against the baseline server. (Before the harness this was a script of its own,
// `npm run bench:metrics`, which now runs these two scenarios.)
import type { Request } from 'autocannon';
import pg from 'pg';
import { insertWithPg, loop, type MetricInput } from './baseline.js';
import type { DataKind } from './generate.js';
import { compareHttp, interleaved, load, sampleMemory, withCpu, type Comparison } from './load.js';
import { atLeast, row, withServers, type BenchContext, type Scenario, type ScenarioResult } from './scenario.js';

const BATCH = 1000;
const CONNECTIONS = 4;

function batch(seed: number): MetricInput[] {
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({
    pipeline_name: `bench_${seed % 20}`,
    metric_type: ['row_count', 'null_rate', 'freshness'][i % 3],
    metric_value: i * 1.5,
    recorded_at: new Date(now - i * 1000).toISOString(),
    metadata: { dataset: 'warehouse.orders', column: `c${i % 7}` },
  }));
}

const ingest: Scenario = {
  name: 'metrics-ingest',
  description: `POST /v1/metrics/batch, ${BATCH} rows per request, ${CONNECTIONS} connections, against plain pg multi-row INSERTs`,
  async run(ctx) {
    const url = await ctx.freshDatabase('metrics');
    const app = await ctx.startApp(url);
    const direct = new pg.Pool({ connectionString: url, max: CONNECTIONS });
    const batches = Array.from({ length: 20 }, (_, i) => batch(i));
    const requests: Request[] = batches.map((b) => ({ method: 'POST', path: '/v1/metrics/batch', body: JSON.stringify({ metrics: b }) }));
    const viaApi = (seconds: number) => () =>
      withCpu(app.pid, () => load({ base: app.base, connections: CONNECTIONS, seconds, headers: app.headers, requests, unitsPerRequest: BATCH }));
    const viaPg = (seconds: number) => () => loop(seconds, CONNECTIONS, BATCH, (i) => insertWithPg(direct, batches[i % batches.length]));
    try {
      const memory = sampleMemory(app.pid);
      const r = await interleaved(viaApi(ctx.phaseSeconds), viaPg(ctx.phaseSeconds), { a: viaApi(1), b: viaPg(1) });
      const c = { app: r.a, baseline: r.b, peakRssMiB: memory.stop().hwmMiB };
      return { rows: [row(`metrics batch ingestion, ${BATCH} rows/request, ${CONNECTIONS} connections`, c, 'ratio >= 0.5 of plain pg', atLeast(0.5), 'rows/s')] };
    } finally {
      await direct.end();
      await app.stop();
    }
  },
};

/**
 * GET requests on the generated data of `kind`, each against the baseline server, 1 connection; `probes`
 * gets the hourly range of the 30 days the data covers (they end when it was generated, not now) and
 * gives each measure's label (before ", N rows, 1 connection") and path.
 */
async function reads(ctx: BenchContext, kind: DataKind, probes: (range: string) => [string, string][]): Promise<ScenarioResult> {
  const data = await ctx.dataDatabase(kind);
  const to = data.generatedAt;
  const from = new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
  const requests = probes(`bucket=1h&agg=avg&from=${from}&to=${to}`);
  const options = { connections: 1, seconds: ctx.phaseSeconds };
  const results = await withServers(ctx, data.url, async (app, baseline) => {
    const out: Comparison[] = [];
    for (const [, path] of requests) out.push(await compareHttp(app, baseline, [{ method: 'GET', path }], options));
    return out;
  });
  const p50Under20 = (r: { app: { p50: number; errors: number } }) => r.app.p50 < 20 && r.app.errors === 0;
  const rows = `${data.rows.toLocaleString('en')} rows`;
  return {
    rows: requests.map(([label], i) => row(`${label}, ${rows}, 1 connection`, results[i], 'p50 < 20 ms', p50Under20)),
    details: { rows: data.rows, generationSeconds: data.generationSeconds, cachedData: data.cached, generatedAt: data.generatedAt },
  };
}

const queries: Scenario = {
  name: 'metrics-queries',
  description: 'GET /v1/metrics/latest and a 30-day hourly /v1/metrics/series over the generated metrics, 1 connection',
  run: (ctx) =>
    reads(ctx, 'metrics', (range) => [
      ['metrics latest of pipe_3', '/v1/metrics/latest?pipeline_name=pipe_3'],
      ['metrics 30-day hourly series', `/v1/metrics/series?pipeline_name=pipe_3&metric_type=row_count&${range}`],
    ]),
};

const TABLE = `dataset_namespace=${encodeURIComponent('postgres://warehouse:5432')}&dataset_name=public.table_3`;

/**
 * The same reads by dataset (issue 18): the latest metrics of one table (about 42,000 of its metrics) and
 * 30-day hourly series of its row count and of one column's null rate, over 5 million metrics of 1,000
 * tables (bench/generate.ts).
 */
const datasetQueries: Scenario = {
  name: 'dataset-queries',
  description: 'GET /v1/metrics/latest and 30-day hourly /v1/metrics/series of a dataset and of a column, over 5 million dataset metrics, 1 connection',
  run: (ctx) =>
    reads(ctx, 'datasets', (range) => [
      ['metrics latest of a dataset', `/v1/metrics/latest?${TABLE}`],
      ['metrics 30-day hourly series of a dataset', `/v1/metrics/series?${TABLE}&metric_type=row_count&${range}`],
      ['metrics 30-day hourly series of a column', `/v1/metrics/series?${TABLE}&column=c2&metric_type=null_rate&${range}`],
    ]),
};

export const scenarios: Scenario[] = [ingest, queries, datasetQueries];
