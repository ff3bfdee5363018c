import { describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { expectRejected, type MalformedCase } from '../../support/malformed.js';
import { metric, qualityRowCounts } from '../../support/quality-fixtures.js';

const ok = metric();
const batchOf = (...items: unknown[]) => ({ metrics: items });
const q = { pipeline_name: 'orders_etl', metric_type: 'row_count' };

const CASES: MalformedCase[] = [
  { name: 'malformed JSON', method: 'post', path: '/v1/metrics', body: '{"metric_value":', type: 'application/json', status: 400 },
  { name: 'a text/plain body', method: 'post', path: '/v1/metrics', body: 'row_count=5', type: 'text/plain', status: 415 },
  { name: 'a metric_value string', method: 'post', path: '/v1/metrics', body: { ...ok, metric_value: '5' }, status: 400, pointer: '/metric_value' },
  { name: 'metric_value "NaN"', method: 'post', path: '/v1/metrics', body: { ...ok, metric_value: 'NaN' }, status: 400, pointer: '/metric_value' },
  { name: 'metric_value 1e400 (Infinity once parsed)', method: 'post', path: '/v1/metrics', body: '{"pipeline_name":"p","metric_type":"t","metric_value":1e400}', type: 'application/json', status: 400, pointer: '/metric_value' },
  { name: 'metric_value null', method: 'post', path: '/v1/metrics', body: { ...ok, metric_value: null }, status: 400, pointer: '/metric_value' },
  { name: 'a missing metric_value', method: 'post', path: '/v1/metrics', body: { pipeline_name: 'p', metric_type: 't' }, status: 400, pointer: '/metric_value' },
  { name: 'an upper-case metric_type', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'RowCount' }, status: 400, pointer: '/metric_type' },
  { name: 'a metric_type with a space', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'row count' }, status: 400, pointer: '/metric_type' },
  { name: 'a 101-character metric_type', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'a'.repeat(101) }, status: 400, pointer: '/metric_type' },
  { name: 'a bad pipeline_name', method: 'post', path: '/v1/metrics', body: { ...ok, pipeline_name: '../etc' }, status: 400, pointer: '/pipeline_name' },
  { name: 'a naive recorded_at', method: 'post', path: '/v1/metrics', body: { ...ok, recorded_at: '2026-11-21T10:00:00' }, status: 400, pointer: '/recorded_at' },
  { name: 'a recorded_at far in the future', method: 'post', path: '/v1/metrics', body: { ...ok, recorded_at: '2099-01-01T00:00:00Z' }, status: 400, pointer: '/recorded_at' },
  { name: 'a recorded_at in 1899 (UTC)', method: 'post', path: '/v1/metrics', body: { ...ok, recorded_at: '1900-01-01T00:30:00+01:00' }, status: 400, pointer: '/recorded_at' },
  { name: 'metadata as an array', method: 'post', path: '/v1/metrics', body: { ...ok, metadata: [1, 2] }, status: 400, pointer: '/metadata' },
  { name: 'metadata as a string', method: 'post', path: '/v1/metrics', body: { ...ok, metadata: 'x' }, status: 400, pointer: '/metadata' },
  { name: 'metadata over 16 KB', method: 'post', path: '/v1/metrics', body: { ...ok, metadata: { blob: 'x'.repeat(17_000) } }, status: 400, pointer: '/metadata' },
  { name: 'a NUL character in metadata', method: 'post', path: '/v1/metrics', body: { ...ok, metadata: { k: 'a\u0000b' } }, status: 400, pointer: '/metadata/k' },
  { name: 'a non-UUID execution_id', method: 'post', path: '/v1/metrics', body: { ...ok, execution_id: 'run-42' }, status: 400, pointer: '/execution_id' },
  { name: 'an unknown execution_id', method: 'post', path: '/v1/metrics', body: { ...ok, execution_id: '00000000-0000-7000-8000-000000000000' }, status: 422, pointer: '/execution_id' },
  { name: 'an unknown field', method: 'post', path: '/v1/metrics', body: { ...ok, unit: 'rows' }, status: 400, pointer: '/unit' },
  { name: 'a dataset_name without its namespace', method: 'post', path: '/v1/metrics', body: { ...ok, dataset_name: 'public.orders' }, status: 400, pointer: '/dataset_namespace' },
  { name: 'a dataset_namespace without its name', method: 'post', path: '/v1/metrics', body: { ...ok, dataset_namespace: 'postgres://db:5432' }, status: 400, pointer: '/dataset_name' },
  { name: 'a column without a dataset', method: 'post', path: '/v1/metrics', body: { ...ok, column: 'amount' }, status: 400, pointer: '/column' },
  { name: 'a blank dataset_name', method: 'post', path: '/v1/metrics', body: { ...ok, dataset_namespace: 'pg', dataset_name: '  ' }, status: 400, pointer: '/dataset_name' },
  { name: 'a NUL in a column', method: 'post', path: '/v1/metrics', body: { ...ok, dataset_namespace: 'pg', dataset_name: 't', column: 'a\u0000b' }, status: 400, pointer: '/column' },
  { name: 'a dataset_name of 1,025 characters', method: 'post', path: '/v1/metrics', body: { ...ok, dataset_namespace: 'pg', dataset_name: 't'.repeat(1025) }, status: 400, pointer: '/dataset_name' },
  { name: 'an assertion on a row_count', method: 'post', path: '/v1/metrics', body: { ...ok, assertion: { name: 'not_null_id' } }, status: 400, pointer: '/metric_type' },
  { name: 'an assertion of 0.5', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'assertion', metric_value: 0.5, assertion: { name: 'x' } }, status: 400, pointer: '/metric_value' },
  { name: 'metric_type assertion without the assertion', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'assertion', metric_value: 0 }, status: 400, pointer: '/assertion' },
  { name: 'an assertion without a name', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'assertion', metric_value: 0, assertion: { failing_rows: 3 } }, status: 400, pointer: '/assertion/name' },
  { name: 'negative failing_rows', method: 'post', path: '/v1/metrics', body: { ...ok, metric_type: 'assertion', metric_value: 0, assertion: { name: 'x', failing_rows: -1 } }, status: 400, pointer: '/assertion/failing_rows' },
  { name: 'a batch item with half a dataset', method: 'post', path: '/v1/metrics/batch', body: batchOf(ok, { ...ok, dataset_name: 't' }), status: 400, pointer: '/metrics/1/dataset_namespace' },
  { name: 'an empty Idempotency-Key', method: 'post', path: '/v1/metrics', body: ok, headers: { 'idempotency-key': '' }, status: 400 },
  { name: 'an Idempotency-Key of 256 characters', method: 'post', path: '/v1/metrics', body: ok, headers: { 'idempotency-key': 'k'.repeat(256) }, status: 400 },
  { name: 'a batch that is an array', method: 'post', path: '/v1/metrics/batch', body: [ok], status: 400 },
  { name: 'an empty batch', method: 'post', path: '/v1/metrics/batch', body: batchOf(), status: 400, pointer: '/metrics' },
  { name: 'a batch with an unknown top-level field', method: 'post', path: '/v1/metrics/batch', body: { metrics: [ok], source: 'x' }, status: 400, pointer: '/source' },
  { name: 'a batch with a bad item', method: 'post', path: '/v1/metrics/batch', body: batchOf(ok, { ...ok, metric_value: true }), status: 400, pointer: '/metrics/1/metric_value' },
  { name: 'a batch of 5,001', method: 'post', path: '/v1/metrics/batch', body: { metrics: Array.from({ length: 5001 }, () => ok) }, status: 413 },
  { name: 'a query parameter on create', method: 'post', path: '/v1/metrics', body: ok, query: { dry_run: 'true' }, status: 400, pointer: '/dry_run' },
  { name: 'an unknown listing parameter', method: 'get', path: '/v1/metrics', query: { colour: 'red' }, status: 400, pointer: '/colour' },
  { name: 'a listing limit of 501', method: 'get', path: '/v1/metrics', query: { limit: 501 }, status: 400, pointer: '/limit' },
  { name: 'a naive recorded_after', method: 'get', path: '/v1/metrics', query: { recorded_after: '2026-11-21' }, status: 400, pointer: '/recorded_after' },
  { name: 'a forged cursor', method: 'get', path: '/v1/metrics', query: { cursor: 'eyJzIjoiLXJlY29yZGVkX2F0In0' }, status: 400 },
  { name: 'latest without pipeline_name', method: 'get', path: '/v1/metrics/latest', status: 400, pointer: '/pipeline_name' },
  { name: 'series without metric_type', method: 'get', path: '/v1/metrics/series', query: { pipeline_name: 'p' }, status: 400, pointer: '/metric_type' },
  { name: 'a series bucket of 10m', method: 'get', path: '/v1/metrics/series', query: { ...q, bucket: '10m' }, status: 400, pointer: '/bucket' },
  { name: 'a series agg of median', method: 'get', path: '/v1/metrics/series', query: { ...q, agg: 'median' }, status: 400, pointer: '/agg' },
  { name: 'a naive series from', method: 'get', path: '/v1/metrics/series', query: { ...q, from: '2026-11-01T00:00:00' }, status: 400, pointer: '/from' },
  { name: 'an anomaly training of 2w', method: 'get', path: '/v1/metrics/anomalies', query: { ...q, training: '2w' }, status: 400, pointer: '/training' },
  { name: 'an anomaly detection over 366 days', method: 'get', path: '/v1/metrics/anomalies', query: { ...q, detection: '400d' }, status: 400, pointer: '/detection' },
  { name: 'a sensitivity of 0', method: 'get', path: '/v1/metrics/anomalies', query: { ...q, sensitivity: 0 }, status: 400, pointer: '/sensitivity' },
  { name: 'a sensitivity that is not a number', method: 'get', path: '/v1/metrics/anomalies', query: { ...q, sensitivity: 'high' }, status: 400, pointer: '/sensitivity' },
];

describe('malformed metric requests: a 4xx problem+json each, and nothing written', () => {
  const f = useApp();

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await expectRejected(f.t.app, c, () => qualityRowCounts(f.db.url));
  });
});
