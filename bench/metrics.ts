// Metrics ingestion and trend queries, each next to a plain-pg baseline measured in the same run.
//   npm run bench:metrics              full run: 60,000 rows ingested each way, 5 million rows queried
//   npm run bench:metrics -- --smoke   a few seconds, for CI: proves the script works, judges nothing
import { v7 as uuidV7 } from 'uuid';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { benchDatabase, latencies, migrate, percentile, pool, round, startApp, writeResults } from './support.js';

const smoke = process.argv.includes('--smoke');
const BATCH = 1000;
const BATCHES = smoke ? 4 : 60;
const CONCURRENCY = 4;
const QUERY_ROWS = smoke ? 50_000 : 5_000_000;
const QUERY_RUNS = smoke ? 20 : 300;

function batch(seed: number) {
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => ({
    pipeline_name: `bench_${seed % 20}`,
    metric_type: ['row_count', 'null_rate', 'freshness'][i % 3],
    metric_value: i * 1.5,
    recorded_at: new Date(now - i * 1000).toISOString(),
    metadata: { dataset: 'warehouse.orders', column: `c${i % 7}` },
  }));
}

/** Plain pg: one multi-row INSERT per 1,000 rows, as the issue defines the baseline. */
async function insertWithPg(client: pg.Pool, rows: ReturnType<typeof batch>): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((r, i) => {
    // Time-ordered ids like the API's, so both sides maintain the primary key index the same way.
    values.push(uuidV7(), r.pipeline_name, r.metric_type, r.metric_value, r.recorded_at, JSON.stringify(r.metadata));
    const b = i * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
  });
  await client.query(
    `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at, metadata) values ${tuples.join(', ')}`,
    values,
  );
}

async function main(): Promise<void> {
  const db = await benchDatabase('bench_metrics');
  migrate(db.url);
  const app = await startApp(db.url);
  const direct = new pg.Pool({ connectionString: db.url, max: CONCURRENCY });
  try {
    const payloads = Array.from({ length: BATCHES }, (_, i) => JSON.stringify({ metrics: batch(i) }));
    // Warm both paths up, then measure them back to back on the same database.
    await fetch(`${app.base}/v1/metrics/batch`, { method: 'POST', headers: app.headers, body: payloads[0] });
    await insertWithPg(direct, batch(0));

    const viaApi = () =>
      pool(BATCHES / 2, CONCURRENCY, async (i) => {
        const res = await fetch(`${app.base}/v1/metrics/batch`, { method: 'POST', headers: app.headers, body: payloads[i] });
        if (res.status !== 201) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
      });
    const viaPg = () => pool(BATCHES / 2, CONCURRENCY, (i) => insertWithPg(direct, batch(i)));
    // API, pg, pg, API: each side runs once into the smaller table and once into the larger one.
    const seconds = { api: 0, pg: 0 };
    for (const [side, run] of [['api', viaApi], ['pg', viaPg], ['pg', viaPg], ['api', viaApi]] as const) {
      const started = performance.now();
      await run();
      seconds[side] += (performance.now() - started) / 1000;
    }
    const apiRate = (BATCHES * BATCH) / seconds.api;
    const pgRate = (BATCHES * BATCH) / seconds.pg;

    // Trend queries over many rows: generated in SQL, 200 pipelines, 4 types, the last 30 days.
    const started = performance.now();
    await direct.query(`
      insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at)
      select gen_random_uuid(), 'pipe_' || floor(200 * power(random(), 2))::int,
             (array['row_count', 'null_rate', 'freshness', 'duplicates'])[1 + i % 4], random() * 1000,
             now() - (i * (interval '30 days' / ${QUERY_ROWS}))
      from generate_series(1, ${QUERY_ROWS}) i`);
    // As autovacuum would have done by the time the rows are queried: sets the visibility map, so the
    // series index answers without visiting the table.
    await direct.query('vacuum analyze data_quality_metrics');
    const generationSeconds = (performance.now() - started) / 1000;

    const to = new Date().toISOString();
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const get = (path: string) => async () => {
      const res = await fetch(`${app.base}${path}`, { headers: app.headers });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      await res.arrayBuffer();
    };
    const latest = await latencies(QUERY_RUNS, get('/v1/metrics/latest?pipeline_name=pipe_3'));
    const series = await latencies(QUERY_RUNS, get(`/v1/metrics/series?pipeline_name=pipe_3&metric_type=row_count&bucket=1h&agg=avg&from=${from}&to=${to}`));

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, database: db.server },
      smoke,
      ingestion: { rowsPerRequest: BATCH, requests: BATCHES, concurrency: CONCURRENCY, apiRowsPerSecond: Math.round(apiRate), pgRowsPerSecond: Math.round(pgRate), ratio: round(apiRate / pgRate, 2) },
      queries: {
        rows: QUERY_ROWS,
        generationSeconds: round(generationSeconds),
        latest: { p50ms: round(percentile(latest, 0.5), 2), p99ms: round(percentile(latest, 0.99), 2) },
        series30d1h: { p50ms: round(percentile(series, 0.5), 2), p99ms: round(percentile(series, 0.99), 2) },
      },
    };
    writeResults(smoke ? 'metrics-smoke' : 'metrics', results);
    console.log(`metrics batch ingestion, ${BATCH} rows/request, ${CONCURRENCY} at a time:`);
    console.log(`  API ${results.ingestion.apiRowsPerSecond} rows/s, plain pg ${results.ingestion.pgRowsPerSecond} rows/s, ratio ${results.ingestion.ratio}`);
    console.log(`trend queries over ${QUERY_ROWS} rows (generated in ${results.queries.generationSeconds} s):`);
    console.log(`  latest p50 ${results.queries.latest.p50ms} ms, p99 ${results.queries.latest.p99ms} ms`);
    console.log(`  30-day hourly series p50 ${results.queries.series30d1h.p50ms} ms, p99 ${results.queries.series30d1h.p99ms} ms`);
  } finally {
    await direct.end();
    await app.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
