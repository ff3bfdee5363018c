import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { corpus, corpusFiles, executionRow, historyOf, lineageCounts, postLineage } from '../../support/lineage-fixtures.js';
import { sql } from '../../support/test-database.js';

// The corpus of real producer events (test/fixtures/openlineage): every valid one accepted and mapped,
// every invalid one refused with nothing written.

const INVALID: Record<string, string> = {
  'events/openlineage-proxy/event_no_run_id.json': '/run/runId',
  'events/openlineage-proxy/event_invalid_run_facet.json': '/run/facets/parent/run/runId',
  'events/openlineage-proxy/event_invalid_job_facet.json': '/job/facets/ownership/owners/0/name',
  'events/openlineage-proxy/event_invalid_dataset_facet.json': '/outputs/0/facets/ownership/owners/0/name',
  'events/openlineage-proxy/event_invalid_input_dataset_facet.json': '/inputs/0/inputFacets/dataQualityMetrics/columnMetrics',
  'events/openlineage-proxy/event_invalid_output_dataset_facet.json': '/outputs/0/outputFacets/outputStatistics/rowCount',
};
const VALID = [...corpusFiles('events/marquez'), ...corpusFiles('events/openlineage-proxy'), 'spec/examples/example_full_event.json'].filter((f) => !(f in INVALID));
const FULL_RUN = 'ea041791-68bc-4ae1-bd89-4c8106a157e4';

describe('POST /api/v1/lineage: the OpenLineage and Marquez corpus', () => {
  const f = useApp();
  const answers = new Map<string, Response>();
  const metricsOf = (eventId: string) =>
    sql<{ metric_type: string; metric_value: number; column: string | null }>(
      f.db.url,
      `select metric_type, metric_value, metadata->>'column' as column from data_quality_metrics where metadata->>'lineage_event_id' = '${eventId}' order by metric_id`,
    );

  beforeAll(async () => {
    for (const file of VALID) answers.set(file, await postLineage(f.t.app, corpus(file)));
  });

  it('accepts every valid event: 201, or 200 for the one that repeats another file exactly; each stored as sent', async () => {
    for (const file of VALID) {
      const res = answers.get(file) as Response;
      const repeat = file === 'events/openlineage-proxy/event_simple.json'; // byte for byte marquez/event_simple.json
      expect({ file, status: res.status }).toEqual({ file, status: repeat ? 200 : 201 });
      f.contract.check('POST', '/api/v1/lineage', res);
      const [row] = await sql<{ payload: unknown }>(f.db.url, `select payload from lineage_events where id = '${res.body.event_id}'`);
      expect(row.payload).toEqual(corpus(file));
    }
    expect(answers.get('events/openlineage-proxy/event_simple.json')?.body).toEqual({ ...answers.get('events/marquez/event_simple.json')?.body, effect: 'duplicate' });
  });

  it.each(Object.entries(INVALID))('refuses %s with 400 problem+json naming %s, and writes nothing', async (file, pointer) => {
    const before = await lineageCounts(f.db.url);
    const res = await postLineage(f.t.app, corpus(file)).expect(400);
    f.contract.check('POST', '/api/v1/lineage', res);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(res.body.errors).toContainEqual({ in: 'body', pointer, detail: expect.any(String) });
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('maps the full COMPLETE event: succeeded at its time, output row counts, the parent run, input quality metrics, history', async () => {
    expect(await executionRow(f.db.url, FULL_RUN)).toEqual({
      pipeline_name: 'my-scheduler-namespace/myjob.mytask',
      status: 'succeeded',
      started_at: '2020-12-28T19:51:01.641000Z',
      completed_at: '2020-12-28T19:51:01.641000Z',
      row_counts: { 'output:my-datasource-namespace/instance.schema.table': 2000 },
      error_details: null,
      parent_execution_id: '3f5e83fa-3480-44ff-99c5-ff943904e5e8',
    });
    const full = answers.get('events/marquez/event_full.json')?.body;
    expect(full).toMatchObject({ kind: 'run', event_type: 'COMPLETE', run_id: FULL_RUN, effect: 'applied' });
    expect(await metricsOf(full.event_id)).toEqual([
      { metric_type: 'row_count', metric_value: 1000, column: null },
      { metric_type: 'bytes', metric_value: 1048576, column: null },
      { metric_type: 'assertion', metric_value: 1, column: null },
      { metric_type: 'assertion', metric_value: 1, column: 'id' },
      // The output's outputStatistics: rows and bytes written.
      { metric_type: 'row_count', metric_value: 2000, column: null },
      { metric_type: 'bytes', metric_value: 2097152, column: null },
    ]);
    // The 220 KB event, the namespace-naming one and the proxy's full event report the same run after it ended.
    for (const file of ['events/marquez/event_large.json', 'events/marquez/event_namespace_naming.json', 'events/openlineage-proxy/event_full.json']) {
      expect(answers.get(file)?.body).toMatchObject({ run_id: FULL_RUN, effect: 'late' });
    }
    expect(await historyOf(f.db.url, FULL_RUN)).toEqual(['succeed:COMPLETE', 'late:COMPLETE', 'late:COMPLETE', 'late:COMPLETE']);
  });

  it('keeps the 220 KB event whole', async () => {
    const res = answers.get('events/marquez/event_large.json') as Response;
    const [row] = await sql<{ bytes: number }>(f.db.url, `select length(payload::text) as bytes from lineage_events where id = '${res.body.event_id}'`);
    expect(row.bytes).toBeGreaterThan(150_000);
  });

  it('reads a time without a zone as UTC and keeps microseconds of a longer fraction', () => {
    expect(answers.get('events/marquez/event_required_no_timezone.json')?.body.event_time).toBe('2020-12-28T19:51:01.641499Z');
    expect(answers.get('events/marquez/event_required_nanoseconds.json')?.body.event_time).toBe('2020-12-28T19:51:01.641499Z');
    expect(answers.get('events/marquez/event_simple.json')?.body.event_time).toBe('2020-12-28T09:52:00.001000Z');
  });

  it('stores events without eventType, job events and dataset events, and changes no execution for them', async () => {
    for (const file of ['events/marquez/event_required_only.json', 'events/marquez/event_job_event.json', 'events/marquez/event_dataset_event.json']) {
      expect(answers.get(file)?.body).toMatchObject({ effect: 'stored' });
    }
    expect(answers.get('events/marquez/event_job_event.json')?.body).toMatchObject({ kind: 'job', run_id: null, event_type: 'COMPLETE' });
    expect(answers.get('events/marquez/event_dataset_event.json')?.body).toMatchObject({ kind: 'dataset', run_id: null, event_type: null });
    expect(await executionRow(f.db.url, '43d7db3b-8984-4cda-b237-8c6919b36670')).toBeUndefined();
  });

  it('accepts an event without schemaURL; a START leaves its run running, with its parent', async () => {
    expect(answers.get('events/marquez/event_without_schema_url.json')?.body).toMatchObject({ effect: 'late', run_id: '41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7' });
    expect(await executionRow(f.db.url, '5355b91b-32b4-4477-b660-3adadee198b2')).toMatchObject({
      status: 'running',
      completed_at: null,
      parent_execution_id: '3f5e83fa-3480-44ff-99c5-ff943904e5e8',
    });
    expect(await executionRow(f.db.url, 'f69a6e9b-9bac-3c9a-9cf6-eacb70ecc9a9')).toMatchObject({ pipeline_name: 'food_delivery/dbt', status: 'succeeded' });
  });

  it('a unicode job name is a pipeline that the executions, pipelines and metrics APIs all find', async () => {
    const name = 'my-scheduler-namespace/myjob.buggy_task🕷';
    expect(await executionRow(f.db.url, '1d8f4596-b3f2-4ebb-9e75-8ecc955b834a')).toMatchObject({ pipeline_name: name, status: 'succeeded' });
    const listed = await http(f.t.app).get('/v1/executions').query({ pipeline_name: name }).expect(200);
    f.contract.check('GET', '/v1/executions', listed);
    expect(listed.body.data.map((e: { execution_id: string }) => e.execution_id)).toEqual(['1d8f4596-b3f2-4ebb-9e75-8ecc955b834a']);
    const summary = await http(f.t.app).get(`/v1/pipelines/${encodeURIComponent(name)}`).query({ window: '366d' }).expect(200);
    f.contract.check('GET', '/v1/pipelines/{pipeline_name}', summary);
    expect(summary.body).toMatchObject({ pipeline_name: name, last_execution: { status: 'succeeded' } });
    const all = await http(f.t.app).get('/v1/pipelines').expect(200);
    f.contract.check('GET', '/v1/pipelines', all);
    expect(all.body.data.map((p: { pipeline_name: string }) => p.pipeline_name)).toContain(name);
    const metrics = await http(f.t.app).get('/v1/metrics').query({ pipeline_name: 'my-scheduler-namespace/myjob.mytask' }).expect(200);
    f.contract.check('GET', '/v1/metrics', metrics);
    expect(metrics.body.data.length).toBeGreaterThan(0);
  });

  it('answers 401 without a key and 403 for a key without the ingest scope', async () => {
    const event = corpus('events/marquez/event_simple.json');
    const res = await http(f.t.app).post('/api/v1/lineage').set('authorization', '').send(event);
    expect(res.status).toBe(401);
    const { ApiKeysService } = await import('../../../src/auth/api-keys.service.js');
    const reader = (await f.t.app.get(ApiKeysService).create('read only', ['read'])).key;
    await http(f.t.app).post('/api/v1/lineage').set('authorization', `Bearer ${reader}`).send(event).expect(403);
  });
});
