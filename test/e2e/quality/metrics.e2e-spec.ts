import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http, recordRun } from '../../support/audit-fixtures.js';
import { metric, qualityRowCounts } from '../../support/quality-fixtures.js';
import { sql } from '../../support/test-database.js';

describe('POST /v1/metrics and /v1/metrics/batch', () => {
  const f = useApp({ METRICS_MAX_FUTURE_SKEW_MS: '60000', METRICS_METADATA_MAX_BYTES: '1024' });


  it('records one metric: 201, recorded now by default, linked to its execution', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'orders_etl' });
    const before = Date.now();
    const res = await http(f.t.app).post('/v1/metrics').send(metric({ execution_id: run.execution_id.toUpperCase(), metadata: { column: 'id' } })).expect(201);
    f.contract.check('POST', '/v1/metrics', res);
    expect(res.body).toMatchObject({ pipeline_name: 'orders_etl', metric_type: 'row_count', metric_value: 1000, execution_id: run.execution_id, metadata: { column: 'id' } });
    expect(Date.parse(res.body.recorded_at)).toBeGreaterThanOrEqual(before - 5);
    const rows = await sql(f.db.url, `select metric_value, execution_id from data_quality_metrics where metric_id = '${res.body.metric_id}'`);
    expect(rows).toEqual([{ metric_value: 1000, execution_id: run.execution_id }]);
  });

  it('refuses an unknown execution (422), a recorded_at beyond the skew and oversized metadata (400), writing nothing', async () => {
    const before = await qualityRowCounts(f.db.url);
    const unknown = await http(f.t.app).post('/v1/metrics').send(metric({ execution_id: randomUUID() })).expect(422);
    f.contract.check('POST', '/v1/metrics', unknown);
    expect(unknown.body).toMatchObject({ code: 'QUALITY.UNKNOWN_EXECUTION', errors: [{ pointer: '/execution_id' }] });
    const future = await http(f.t.app).post('/v1/metrics').send(metric({ recorded_at: new Date(Date.now() + 120_000).toISOString() })).expect(400);
    expect(future.body.errors).toEqual([{ in: 'body', pointer: '/recorded_at', detail: 'is more than 60000 ms in the future' }]);
    const big = await http(f.t.app).post('/v1/metrics').send(metric({ metadata: { blob: 'x'.repeat(2000) } })).expect(400);
    expect(big.body.errors[0].pointer).toBe('/metadata');
    expect(await qualityRowCounts(f.db.url)).toEqual(before);
  });

  it('records a batch of 5,000 in one go and answers their ids in request order', async () => {
    const before = await qualityRowCounts(f.db.url);
    const metrics = Array.from({ length: 5000 }, (_, i) => metric({ metric_type: 'batch.check', metric_value: i }));
    const res = await http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(201);
    f.contract.check('POST', '/v1/metrics/batch', res);
    expect(res.body.count).toBe(5000);
    expect(res.body.metric_ids).toHaveLength(5000);
    expect((await qualityRowCounts(f.db.url)).metrics).toBe(before.metrics + 5000);
    const [row] = await sql(f.db.url, `select metric_value from data_quality_metrics where metric_id = '${res.body.metric_ids[4321]}'`);
    expect(row).toEqual({ metric_value: 4321 });
  });

  it('is atomic: one bad item among 5,000 writes nothing and the problem names its index and field', async () => {
    const before = await qualityRowCounts(f.db.url);
    const metrics = Array.from({ length: 5000 }, (_, i) => metric({ metric_value: i }));
    metrics[3217] = metric({ metric_value: 'lots' });
    metrics[4999] = metric({ metric_type: 'Bad Type' });
    const res = await http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(400);
    f.contract.check('POST', '/v1/metrics/batch', res);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/metrics/3217/metric_value', '/metrics/4999/metric_type']);
    expect(await qualityRowCounts(f.db.url)).toEqual(before);
  });

  it('is one statement: when PostgreSQL itself refuses item 3,217 of 5,000, none of the others is written', async () => {
    // A rule only the database knows (added to this suite's own database), so the request passes every
    // check at the edge and fails inside the INSERT. Row-by-row writes would have kept 3,217 rows.
    await sql(f.db.url, `alter table data_quality_metrics add constraint test_refuses_4242 check (metric_value <> 4242) not valid`);
    try {
      const before = await qualityRowCounts(f.db.url);
      const metrics = Array.from({ length: 5000 }, (_, i) => metric({ metric_type: 'db.atomicity', metric_value: i === 3217 ? 4242 : i }));
      const res = await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', 'atomic-1').send({ metrics }).expect(422);
      expect(res.body.code).toBe('DATABASE.CONSTRAINT_VIOLATION');
      expect(await qualityRowCounts(f.db.url)).toEqual(before);
    } finally {
      await sql(f.db.url, `alter table data_quality_metrics drop constraint test_refuses_4242`);
    }
  });

  it('is atomic when an item names an unknown execution: 422 naming it, nothing written', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'orders_etl' });
    const before = await qualityRowCounts(f.db.url);
    const metrics = Array.from({ length: 100 }, () => metric({ execution_id: run.execution_id }));
    metrics[42] = metric({ execution_id: randomUUID() });
    const res = await http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(422);
    expect(res.body.errors).toEqual([{ in: 'body', pointer: '/metrics/42/execution_id', detail: 'no such execution' }]);
    expect(await qualityRowCounts(f.db.url)).toEqual(before);
  });

  it('answers 413 above 5,000 items, writing nothing', async () => {
    const before = await qualityRowCounts(f.db.url);
    const res = await http(f.t.app).post('/v1/metrics/batch').send({ metrics: Array.from({ length: 5001 }, () => metric()) }).expect(413);
    f.contract.check('POST', '/v1/metrics/batch', res);
    expect(res.body.code).toBe('REQUEST.TOO_MANY_ITEMS');
    expect(await qualityRowCounts(f.db.url)).toEqual(before);
  });

  describe('Idempotency-Key', () => {
    it('replays the stored response for the same key and body, writing nothing new', async () => {
      const key = randomUUID();
      const body = { metrics: [metric({ metric_value: 1 }), metric({ metric_value: 2 })] };
      const first = await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', key).send(body).expect(201);
      const before = await qualityRowCounts(f.db.url);
      const again = await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', key).send(body).expect(201);
      f.contract.check('POST', '/v1/metrics/batch', again);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await qualityRowCounts(f.db.url)).toEqual(before);
    });

    it('refuses the same key with a different body (422), writing nothing', async () => {
      const key = randomUUID();
      await http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(metric({ metric_value: 1 })).expect(201);
      const before = await qualityRowCounts(f.db.url);
      const res = await http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(metric({ metric_value: 2 })).expect(422);
      expect(res.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await qualityRowCounts(f.db.url)).toEqual(before);
    });

    it('lets the same key serve different routes independently', async () => {
      const key = randomUUID();
      await http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(metric()).expect(201);
      const res = await http(f.t.app).post('/v1/metrics/batch').set('idempotency-key', key).send({ metrics: [metric()] }).expect(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });

    it('makes concurrent requests with one key write once', async () => {
      const key = randomUUID();
      const body = metric({ metric_type: 'concurrent.key' });
      const responses = await Promise.all(Array.from({ length: 8 }, () => http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(body)));
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(new Set(responses.map((r) => r.body.metric_id)).size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
      const rows = await sql(f.db.url, `select count(*)::int as n from data_quality_metrics where metric_type = 'concurrent.key'`);
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('forgets keys after 24 hours: an expired key is used afresh', async () => {
      const key = randomUUID();
      await http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(metric({ metric_value: 1 })).expect(201);
      await sql(f.db.url, `update idempotency_keys set created_at = now() - interval '25 hours' where key = '${key}'`);
      const res = await http(f.t.app).post('/v1/metrics').set('idempotency-key', key).send(metric({ metric_value: 2 })).expect(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    });
  });
});
