import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { auditRowCounts, http } from '../../support/audit-fixtures.js';
import { sql } from '../../support/test-database.js';

describe('POST /v1/executions and GET /v1/executions/{id}', () => {
  const f = useApp();


  it('records a run with defaults: 201, Location, status running, started now, attempt 1, a UUIDv7 id', async () => {
    const before = Date.now();
    const res = await http(f.t.app).post('/v1/executions').send({ pipeline_name: 'orders_etl' }).expect(201);
    f.contract.check('POST', '/v1/executions', res);
    expect(res.headers.location).toBe(`/v1/executions/${res.body.execution_id}`);
    expect(res.body).toMatchObject({
      pipeline_name: 'orders_etl',
      status: 'running',
      completed_at: null,
      input_file: null,
      row_counts: {},
      error_details: null,
      attempt: 1,
    });
    expect(res.body.execution_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(Date.parse(res.body.started_at)).toBeGreaterThanOrEqual(before - 5);
    const [row] = await sql(f.db.url, `select pipeline_name, status from pipeline_executions where execution_id = '${res.body.execution_id}'`);
    expect(row).toEqual({ pipeline_name: 'orders_etl', status: 'running' });
  });

  it('stores every field given, keeping microseconds and normalising the offset to UTC', async () => {
    const body = {
      execution_id: randomUUID(),
      pipeline_name: 'airflow.orders/load',
      status: 'pending',
      started_at: '2026-11-20T10:00:00.123456+02:00',
      input_file: 's3://landing/orders/2026-11-20.parquet',
      attempt: 3,
      row_counts: { read: 0 },
    };
    const res = await http(f.t.app).post('/v1/executions').send(body).expect(201);
    expect(res.body).toMatchObject({ ...body, started_at: '2026-11-20T08:00:00.123456Z' });
    const got = await http(f.t.app).get(`/v1/executions/${body.execution_id}`).expect(200);
    f.contract.check('GET', '/v1/executions/{execution_id}', got);
    expect(got.body).toEqual(res.body);
  });

  it('a retry with the same execution_id and body answers 200 with the same execution and writes nothing', async () => {
    const body = { execution_id: randomUUID(), pipeline_name: 'retry_etl', row_counts: { read: 1 } };
    const first = await http(f.t.app).post('/v1/executions').send(body).expect(201);
    const counts = await auditRowCounts(f.db.url);
    const again = await http(f.t.app).post('/v1/executions').send({ row_counts: { read: 1 }, pipeline_name: 'retry_etl', execution_id: body.execution_id }).expect(200);
    f.contract.check('POST', '/v1/executions', again);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await auditRowCounts(f.db.url)).toEqual(counts);
  });

  it('execution ids compare case-insensitively: a retry in upper case is the same run', async () => {
    const id = randomUUID();
    const first = await http(f.t.app).post('/v1/executions').send({ execution_id: id.toUpperCase(), pipeline_name: 'case_etl' }).expect(201);
    expect(first.body.execution_id).toBe(id);
    await http(f.t.app).post('/v1/executions').send({ execution_id: id, pipeline_name: 'case_etl' }).expect(200);
    await http(f.t.app).get(`/v1/executions/${id.toUpperCase()}`).expect(200);
  });

  it('the same execution_id with a different body answers 409 and changes nothing', async () => {
    const id = randomUUID();
    await http(f.t.app).post('/v1/executions').send({ execution_id: id, pipeline_name: 'a_etl' }).expect(201);
    const counts = await auditRowCounts(f.db.url);
    const res = await http(f.t.app).post('/v1/executions').send({ execution_id: id, pipeline_name: 'b_etl' }).expect(409);
    f.contract.check('POST', '/v1/executions', res);
    expect(res.body).toMatchObject({ status: 409, code: 'AUDIT.EXECUTION_ID_CONFLICT' });
    expect(await auditRowCounts(f.db.url)).toEqual(counts);
    expect((await http(f.t.app).get(`/v1/executions/${id}`)).body.pipeline_name).toBe('a_etl');
  });

  it('concurrent identical creates make exactly one run: one 201, the others 200', async () => {
    const body = { execution_id: randomUUID(), pipeline_name: 'burst_etl' };
    const statuses = await Promise.all(Array.from({ length: 10 }, () => http(f.t.app).post('/v1/executions').send(body).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    const rows = await sql(f.db.url, `select count(*)::int as n from pipeline_execution_events where execution_id = '${body.execution_id}'`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('GET of an unknown id is a 404 problem; a malformed id a 400 problem', async () => {
    const missing = await http(f.t.app).get(`/v1/executions/${randomUUID()}`).expect(404);
    f.contract.check('GET', '/v1/executions/{execution_id}', missing);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, code: 'AUDIT.EXECUTION_NOT_FOUND' });
    const bad = await http(f.t.app).get('/v1/executions/not-a-uuid').expect(400);
    f.contract.check('GET', '/v1/executions/{execution_id}', bad);
    expect(bad.body.errors).toEqual([{ in: 'path', pointer: '/execution_id', detail: 'must match format "uuid"' }]);
  });

  it('serves the OpenAPI 3.1 document and the interactive page', async () => {
    const doc = await http(f.t.app).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/executions', '/v1/executions/{execution_id}', '/v1/executions/{execution_id}/events', '/v1/pipelines', '/v1/pipelines/{pipeline_name}']),
    );
    const page = await http(f.t.app).get('/docs').redirects(1);
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });
});
