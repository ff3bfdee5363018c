import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { bootApp, type TestApp } from '../../support/app.js';
import { eventually } from '../../support/eventually.js';
import { startFreezableProxy, type FreezableProxy } from '../../support/freezable-proxy.js';
import { scrape, sampleOf, type PromSample } from '../../support/prometheus.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { MetricsServer } from '../../../src/metrics/metrics.server.js';
import { SCRAPE_READ_TIMEOUT_MS } from '../../../src/metrics/scrape-gauges.js';

const POOL_MAX = 2;
const TICK = { task: 'jobs.heartbeat' };
const success = (samples: PromSample[], gauge: string) => sampleOf(samples, 'pipeline_ledger_scrape_gauge_success', { gauge });

// The database stops answering (a TCP proxy that stops forwarding): the scrape must still answer, in time,
// with what it knows (the pool filling up, the process), and say which gauges it could not read.
describe('/metrics while the database does not answer', () => {
  let db: TestDatabase;
  let proxy: FreezableProxy;
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    t = await bootApp(proxy.url(db.url), { METRICS_PORT: '0', DB_POOL_MAX: String(POOL_MAX), DB_STATEMENT_TIMEOUT_MS: '2000', RATE_LIMIT_MAX: '0' });
    port = (t.app.get(MetricsServer).address() as { port: number }).port;
  });

  afterAll(async () => {
    proxy?.thaw();
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers within the read timeout: requests waiting for the pool are visible, the heartbeat age is left out, not stale', async () => {
    expect(await eventually(async () => sampleOf(await scrape(port), 'pipeline_ledger_job_tick_age_seconds', TICK) !== undefined)).toBe(true);
    proxy.freeze();
    const stuck = [1, 2, 3, 4].map(() => request(t.app.getHttpServer()).get('/v1/executions').set('authorization', `Bearer ${t.key}`).then((r) => r.status));
    expect(await eventually(async () => sampleOf(await scrape(port), 'pipeline_ledger_db_pool_waiting_requests')! > 0, 5_000)).toBe(true);

    const started = performance.now();
    const samples = await scrape(port);
    expect(performance.now() - started).toBeLessThan(SCRAPE_READ_TIMEOUT_MS + 1_500);
    expect(sampleOf(samples, 'pipeline_ledger_db_pool_connections', { state: 'in_use' })).toBe(POOL_MAX);
    expect(sampleOf(samples, 'pipeline_ledger_job_tick_age_seconds', TICK)).toBeUndefined();
    expect(success(samples, 'job_tick_age_seconds')).toBe(0);
    expect(success(samples, 'db_pool_connections')).toBe(1);
    expect(sampleOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    proxy.thaw();
    await Promise.all(stuck); // 200 or 503, whichever their deadline allowed
    expect(await eventually(async () => success(await scrape(port), 'job_tick_age_seconds') === 1)).toBe(true);
  }, 30_000);
});
