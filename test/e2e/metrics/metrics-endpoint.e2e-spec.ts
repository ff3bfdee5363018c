import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { http } from '../../support/audit-fixtures.js';
import { useApp } from '../../support/app.js';
import { eventually } from '../../support/eventually.js';
import { runEvent, postLineage } from '../../support/lineage-fixtures.js';
import { scrape, sampleOf, type PromSample } from '../../support/prometheus.js';
import { metric } from '../../support/quality-fixtures.js';
import { MetricsServer } from '../../../src/metrics/metrics.server.js';

// The service's Prometheus endpoint: /metrics on METRICS_PORT (here 0: a free port), its own listener.
const DURATION = 'pipeline_ledger_http_request_duration_seconds';
const requests = (samples: PromSample[], method: string, route: string, status: number) =>
  sampleOf(samples, `${DURATION}_count`, { method, route, status_code: String(status) }) ?? 0;

describe('/metrics on METRICS_PORT', () => {
  const f = useApp({ METRICS_PORT: '0' });
  let port: number;

  beforeAll(async () => {
    port = (f.t.app.get(MetricsServer).address() as { port: number }).port;
  });

  it('listens on loopback by default, on a port of its own', () => {
    expect(f.t.app.get(MetricsServer).address()).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
  });

  it('times requests by route pattern and status: the counts move with the requests, and no URL becomes a label', async () => {
    const before = await scrape(port);
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await http(f.t.app).post('/v1/executions').send({ execution_id: id, pipeline_name: 'metrics_e2e' }).expect(201);
    await http(f.t.app).post('/v1/executions').send({ execution_id: ids[0], pipeline_name: 'metrics_e2e' }).expect(200);
    await http(f.t.app).get(`/v1/executions/${ids[1]}`).expect(200);
    await http(f.t.app).get(`/v1/executions/${randomUUID()}`).expect(404);
    await http(f.t.app).get('/no/such/route-9f3c').expect(404);
    const after = await scrape(port);

    const moved = (method: string, route: string, status: number) => requests(after, method, route, status) - requests(before, method, route, status);
    expect(moved('POST', '/v1/executions', 201)).toBe(2);
    expect(moved('POST', '/v1/executions', 200)).toBe(1);
    expect(moved('GET', '/v1/executions/:execution_id', 200)).toBe(1);
    expect(moved('GET', '/v1/executions/:execution_id', 404)).toBe(1);
    expect(moved('GET', 'unmatched', 404)).toBe(1);
    // A histogram: buckets up to +Inf, whose count is the request count.
    expect(sampleOf(after, `${DURATION}_bucket`, { method: 'POST', route: '/v1/executions', status_code: '201', le: '+Inf' })).toBe(requests(after, 'POST', '/v1/executions', 201));
    const routes = new Set(after.filter((s) => s.name === `${DURATION}_count`).map((s) => s.labels.route));
    expect([...routes].filter((route) => route.includes('route-9f3c') || ids.some((id) => route.includes(id)))).toEqual([]);
  });

  it('counts what was written: new runs (not idempotent repeats), metric points (not replays), lineage events by effect', async () => {
    const before = await scrape(port);
    await http(f.t.app).post('/v1/executions').send({ pipeline_name: 'metrics_e2e' }).expect(201);
    const batch = { metrics: [metric(), metric({ metric_type: 'null_rate' }), metric({ metric_type: 'row_count' })] };
    await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', 'metrics-e2e-1').send(batch).expect(201);
    await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', 'metrics-e2e-1').send(batch).expect(201).expect('idempotent-replayed', 'true');
    await http(f.t.app).post('/v1/metrics').send(metric()).expect(201);
    await http(f.t.app).post('/v1/metrics/batch').send({ metrics: [metric({ metric_value: 'x' })] }).expect(400);
    const event = runEvent({ runId: randomUUID(), time: new Date().toISOString() });
    await postLineage(f.t.app, event).expect(201);
    await postLineage(f.t.app, event).expect(200);
    const after = await scrape(port);

    const moved = (name: string, labels: Record<string, string> = {}) => (sampleOf(after, name, labels) ?? 0) - (sampleOf(before, name, labels) ?? 0);
    expect(moved('pipeline_ledger_executions_created_total')).toBe(1);
    expect(moved('pipeline_ledger_metric_points_ingested_total')).toBe(4);
    expect(moved('pipeline_ledger_lineage_events_total', { effect: 'applied' })).toBe(1);
    expect(moved('pipeline_ledger_lineage_events_total', { effect: 'duplicate' })).toBe(1);
  });

  it('reports the pool, the process, and the age of the newest heartbeat tick', async () => {
    let samples: PromSample[] = [];
    expect(await eventually(async () => sampleOf((samples = await scrape(port)), 'pipeline_ledger_job_tick_age_seconds', { task: 'jobs.heartbeat' }) !== undefined)).toBe(true);
    const age = sampleOf(samples, 'pipeline_ledger_job_tick_age_seconds', { task: 'jobs.heartbeat' }) as number;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    expect(sampleOf(samples, 'pipeline_ledger_db_pool_max_connections')).toBe(10);
    const idle = sampleOf(samples, 'pipeline_ledger_db_pool_connections', { state: 'idle' }) as number;
    const inUse = sampleOf(samples, 'pipeline_ledger_db_pool_connections', { state: 'in_use' }) as number;
    expect(idle + inUse).toBeGreaterThan(0);
    expect(idle + inUse).toBeLessThanOrEqual(10);
    expect(sampleOf(samples, 'pipeline_ledger_db_pool_waiting_requests')).toBe(0);
    expect(samples.filter((s) => s.name === 'pipeline_ledger_scrape_gauge_success').map((s) => [s.labels.gauge, s.value]).sort()).toEqual([
      ['db_pool_connections', 1],
      ['db_pool_waiting_requests', 1],
      ['job_tick_age_seconds', 1],
      ['outbox_oldest_unpublished_age_seconds', 1],
    ]);
    // Nothing announced and not published: no backlog.
    expect(sampleOf(samples, 'pipeline_ledger_outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(sampleOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('answers /metrics only: other paths 404, other methods 405', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/v1/executions`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is not served on the API\'s port', async () => {
    const answer = await http(f.t.app).get('/metrics').expect(404);
    expect(answer.text).not.toContain('pipeline_ledger_');
  });
});

describe('without METRICS_PORT', () => {
  const f = useApp();

  it('there is no metrics listener', () => {
    expect(f.t.app.get(MetricsServer).address()).toBeUndefined();
  });
});
