import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { auditRowCounts, recordRun } from '../../support/audit-fixtures.js';
import { expectRejected, type MalformedCase } from '../../support/malformed.js';

const RUN = '{run}';
const valid = { pipeline_name: 'orders_etl' };
const DAY_AHEAD = new Date(Date.now() + 86_400_000).toISOString();

const CASES: MalformedCase[] = [
  { name: 'malformed JSON', method: 'post', path: '/v1/executions', body: '{"pipeline_name":', type: 'application/json', status: 400 },
  { name: 'an empty JSON body', method: 'post', path: '/v1/executions', body: '', type: 'application/json', status: 400 },
  { name: 'a JSON array', method: 'post', path: '/v1/executions', body: '[]', type: 'application/json', status: 400 },
  { name: 'a JSON string', method: 'post', path: '/v1/executions', body: '"orders_etl"', type: 'application/json', status: 400 },
  { name: 'a missing pipeline_name', method: 'post', path: '/v1/executions', body: {}, status: 400, pointer: '/pipeline_name' },
  { name: 'a numeric pipeline_name', method: 'post', path: '/v1/executions', body: { pipeline_name: 42 }, status: 400, pointer: '/pipeline_name' },
  { name: 'an empty pipeline_name', method: 'post', path: '/v1/executions', body: { pipeline_name: '' }, status: 400, pointer: '/pipeline_name' },
  { name: 'a 201-character pipeline_name', method: 'post', path: '/v1/executions', body: { pipeline_name: 'p'.repeat(201) }, status: 400, pointer: '/pipeline_name' },
  { name: 'a pipeline_name with spaces', method: 'post', path: '/v1/executions', body: { pipeline_name: 'orders etl' }, status: 400, pointer: '/pipeline_name' },
  { name: 'an unknown field', method: 'post', path: '/v1/executions', body: { ...valid, owner: 'me' }, status: 400, pointer: '/owner' },
  { name: 'a non-UUID execution_id', method: 'post', path: '/v1/executions', body: { ...valid, execution_id: '42' }, status: 400, pointer: '/execution_id' },
  { name: 'a terminal status at creation', method: 'post', path: '/v1/executions', body: { ...valid, status: 'succeeded' }, status: 400, pointer: '/status' },
  { name: 'a naive started_at', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '2026-11-21T10:00:00' }, status: 400, pointer: '/started_at' },
  { name: 'a date-only started_at', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '2026-11-21' }, status: 400, pointer: '/started_at' },
  { name: 'an impossible started_at', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '2026-02-30T10:00:00Z' }, status: 400, pointer: '/started_at' },
  { name: 'attempt 0', method: 'post', path: '/v1/executions', body: { ...valid, attempt: 0 }, status: 400, pointer: '/attempt' },
  { name: 'a fractional attempt', method: 'post', path: '/v1/executions', body: { ...valid, attempt: 1.5 }, status: 400, pointer: '/attempt' },
  { name: 'attempt as a string', method: 'post', path: '/v1/executions', body: { ...valid, attempt: '2' }, status: 400, pointer: '/attempt' },
  { name: 'a negative row count', method: 'post', path: '/v1/executions', body: { ...valid, row_counts: { read: -1 } }, status: 400, pointer: '/row_counts/read' },
  { name: 'a fractional row count', method: 'post', path: '/v1/executions', body: { ...valid, row_counts: { read: 1.5 } }, status: 400, pointer: '/row_counts/read' },
  { name: 'a row count as a string', method: 'post', path: '/v1/executions', body: { ...valid, row_counts: { read: '10' } }, status: 400, pointer: '/row_counts/read' },
  { name: 'row_counts as an array', method: 'post', path: '/v1/executions', body: { ...valid, row_counts: [1, 2] }, status: 400, pointer: '/row_counts' },
  { name: 'a 3000-character input_file', method: 'post', path: '/v1/executions', body: { ...valid, input_file: 'f'.repeat(3000) }, status: 400, pointer: '/input_file' },
  { name: 'a text/plain body', method: 'post', path: '/v1/executions', body: 'pipeline_name=orders_etl', type: 'text/plain', status: 415 },
  { name: 'a form-encoded body', method: 'post', path: '/v1/executions', body: 'pipeline_name=orders_etl', type: 'application/x-www-form-urlencoded', status: 415 },
  { name: 'a body over 1 MB', method: 'post', path: '/v1/executions', body: { ...valid, input_file: 'x'.repeat(1_100_000) }, status: 413 },
  { name: 'an unknown transition', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'explode' }, status: 400, pointer: '/type' },
  { name: 'fail without error_details', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'fail' }, status: 400, pointer: '/error_details' },
  { name: 'error_details on succeed', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'succeed', error_details: 'x' }, status: 400, pointer: '/error_details' },
  { name: 'a naive completed_at', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'succeed', completed_at: '2026-11-21 10:00:00' }, status: 400, pointer: '/completed_at' },
  { name: '70 000 characters of error_details', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'fail', error_details: 'e'.repeat(70_000) }, status: 400, pointer: '/error_details' },
  { name: 'a transition without type', method: 'post', path: `/v1/executions/${RUN}/events`, body: { row_counts: { read: 1 } }, status: 400, pointer: '/type' },
  { name: 'a non-UUID id in the path', method: 'post', path: '/v1/executions/123/events', body: { type: 'start' }, status: 400, pointer: '/execution_id' },
  { name: 'an unknown query parameter', method: 'get', path: '/v1/executions', query: { colour: 'red' }, status: 400, pointer: '/colour' },
  { name: 'an unknown status filter', method: 'get', path: '/v1/executions', query: { status: 'exploded' }, status: 400, pointer: '/status/0' },
  { name: 'a non-numeric limit', method: 'get', path: '/v1/executions', query: { limit: 'ten' }, status: 400, pointer: '/limit' },
  { name: 'a naive started_after', method: 'get', path: '/v1/executions', query: { started_after: '2026-11-21T10:00:00' }, status: 400, pointer: '/started_after' },
  { name: 'has_error=maybe', method: 'get', path: '/v1/executions', query: { has_error: 'maybe' }, status: 400, pointer: '/has_error' },
  { name: 'an unknown sort', method: 'get', path: '/v1/executions', query: { sort: 'pipeline_name' }, status: 400, pointer: '/sort' },
  { name: 'a bad window', method: 'get', path: '/v1/pipelines', query: { window: 'forever' }, status: 400, pointer: '/window' },
  { name: 'a blank pipeline name in the path', method: 'get', path: '/v1/pipelines/%20%20', status: 400, pointer: '/pipeline_name' },
  { name: 'a NUL character in input_file', method: 'post', path: '/v1/executions', body: { ...valid, input_file: 'a\u0000b' }, status: 400, pointer: '/input_file' },
  { name: 'a NUL character in a row count name', method: 'post', path: '/v1/executions', body: { ...valid, row_counts: { 'a\u0000': 1 } }, status: 400, pointer: '/row_counts' },
  { name: 'year 0000', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '0000-01-01T00:00:00Z' }, status: 400, pointer: '/started_at' },
  { name: 'a timestamp past year 9999 in UTC', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '9999-12-31T23:59:59-01:00' }, status: 400, pointer: '/started_at' },
  // Issue 16 point 8: every reported time of a run lies in 1900-2999 (UTC) and at most METRICS_MAX_FUTURE_SKEW_MS ahead.
  { name: 'a started_at in 1899 (UTC)', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '1900-01-01T00:30:00+01:00' }, status: 400, pointer: '/started_at' },
  { name: 'a started_at in 3000 (UTC)', method: 'post', path: '/v1/executions', body: { ...valid, started_at: '2999-12-31T23:30:00-01:00' }, status: 400, pointer: '/started_at' },
  { name: 'a started_at a day ahead', method: 'post', path: '/v1/executions', body: { ...valid, started_at: DAY_AHEAD }, status: 400, pointer: '/started_at' },
  { name: 'a completed_at in 3000 (UTC)', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'succeed', completed_at: '2999-12-31T23:30:00-01:00' }, status: 400, pointer: '/completed_at' },
  { name: 'a completed_at a day ahead', method: 'post', path: `/v1/executions/${RUN}/events`, body: { type: 'cancel', completed_at: DAY_AHEAD }, status: 400, pointer: '/completed_at' },
  { name: 'a query parameter on create', method: 'post', path: '/v1/executions', query: { colour: 'red' }, body: valid, status: 400, pointer: '/colour' },
  { name: 'a query parameter on a transition', method: 'post', path: `/v1/executions/${RUN}/events`, query: { colour: 'red' }, body: { type: 'progress' }, status: 400, pointer: '/colour' },
  { name: 'a query parameter on get', method: 'get', path: `/v1/executions/${RUN}`, query: { colour: 'red' }, status: 400, pointer: '/colour' },
  { name: 'a parent_execution_id that is not a UUID', method: 'get', path: '/v1/executions', query: { parent_execution_id: 'dag-run-1' }, status: 400, pointer: '/parent_execution_id' },
  { name: 'a NUL character in the input_file filter', method: 'get', path: '/v1/executions', query: { input_file: 'a\u0000b' }, status: 400, pointer: '/input_file' },
  { name: 'a history cursor from another run', method: 'get', path: `/v1/executions/${RUN}/events`, query: { cursor: Buffer.from(JSON.stringify({ e: '00000000-0000-7000-8000-000000000000', t: '2026-01-01T00:00:00Z', i: '00000000-0000-7000-8000-000000000000' })).toString('base64url') }, status: 400 },
  { name: 'an unknown route', method: 'get', path: '/v1/nothing-here', status: 404 },
  { name: 'an unsupported method', method: 'delete', path: '/v1/executions', status: 404 },
];

describe('malformed requests: a 4xx problem+json each, and nothing written', () => {
  const f = useApp();
  let run = '';

  beforeAll(async () => {
    run = (await recordRun(f.t.app, { pipeline_name: 'target_etl' })).execution_id;
  });

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await expectRejected(f.t.app, { ...c, path: c.path.replace(RUN, run) }, () => auditRowCounts(f.db.url));
  });
});
