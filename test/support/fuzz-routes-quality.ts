import fc from 'fast-check';
import { NoQuery } from '../../src/http/schemas.js';
import { ListMetricsQuery, METRIC_SORTS } from '../../src/quality/dto/list-metrics.query.js';
import { IdempotencyHeaders, RecordMetricDto, RecordMetricsBatchDto } from '../../src/quality/dto/record-metric.dto.js';
import { cursorText } from '../../src/quality/datasets.service.js';
import { DatasetParams, ListDatasetsQuery } from '../../src/quality/dto/datasets.query.js';
import { AGGREGATES, AnomaliesQuery, BUCKETS, LatestQuery, SeriesQuery } from '../../src/quality/dto/trends.query.js';
import { cursorNearMiss, forgedCursor, listingCursor, numberish, pathParam, typeNearMiss, urnUuid, windowNearMiss, windowTooLong, windowValue, type Fixtures } from './fuzz-params.js';
import type { Parts, RouteSpec } from './fuzz-requests.js';
import {
  anyJson, anyString, deepJson, headerText, metricType, nameNearMiss, oddNumber, pastTimestamp, pipelineName, Raw, textAccepts, timestamp,
  timestampNearMiss, uuid, uuidNearMiss,
} from './fuzz-values.js';

// Data quality metrics: ingestion (one, a batch), the listing and the trend queries.

const DAY = 86_400_000;
const metadata = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepJson.map((d) => ({ d })) },
);
const metric = (fx: Fixtures) => fc.record(
  { pipeline_name: pipelineName, metric_type: metricType, metric_value: fc.double({ noNaN: true, noDefaultInfinity: true }), recorded_at: pastTimestamp,
    execution_id: fc.constant(fx.running), metadata },
  { requiredKeys: ['pipeline_name', 'metric_type', 'metric_value'] },
);
const metricCandidates = {
  pipeline_name: nameNearMiss,
  metric_type: typeNearMiss,
  metric_value: fc.oneof(oddNumber, fc.constantFrom('5', 'NaN', 'Infinity', null, true, [], {}), fc.double()),
  recorded_at: timestampNearMiss,
  execution_id: uuidNearMiss,
  metadata: fc.oneof(anyJson, deepJson),
};

/** One thing wrong with a metric the schema accepts: the service's own rules. */
const brokenRule = (m: Record<string, unknown>) => fc.oneof(
  uuid.map((id) => ({ ...m, execution_id: id })), // no such execution: 422
  urnUuid.map((id) => ({ ...m, execution_id: id })),
  fc.date({ min: new Date(Date.now() + DAY), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => ({ ...m, recorded_at: d.toISOString() })),
  fc.integer({ min: 16_400, max: 60_000 }).map((n) => ({ ...m, metadata: { blob: 'x'.repeat(n) } })),
  fc.constantFrom({ k: 'a\u0000b' }, { '\ud800': 1 }, { k: ['\udfff'] }, { k: { n: new Raw('1e400') } }, { 'a\u0000': true }).map((md) => ({ ...m, metadata: md })),
);

/** Idempotency-Key values the route refuses even after a server trims them: empty, too long, spaces or Latin-1 inside. */
const badKey = fc.oneof(fc.constant(''), fc.integer({ min: 256, max: 2000 }).map((n) => 'k'.repeat(n)), headerText)
  .filter((k) => !textAccepts(IdempotencyHeaders, { 'idempotency-key': k }));
const withKey = (parts: fc.Arbitrary<Partial<Parts>>) =>
  fc.tuple(parts, fc.option(fc.stringMatching(/^[\x21-\x7e]{1,64}$/))).map(([p, key]) => (key === null ? p : { ...p, headers: { 'idempotency-key': key } }));

const bucketSpan = { '5m': 300_000, '1h': 3_600_000, '1d': DAY } as const;
const at = (ms: number) => new Date(ms).toISOString();
const seriesRefused = fc.oneof(
  // from not before to
  fc.tuple(fc.integer({ min: Date.parse('1950-01-01'), max: Date.parse('2900-01-01') }), fc.integer({ min: 2, max: 3000 }))
    .map(([from, days]) => ({ from: at(from), to: at(from - days * DAY) })),
  // more than 10,000 buckets
  fc.tuple(fc.constantFrom(...BUCKETS), fc.integer({ min: Date.parse('1900-01-02'), max: Date.parse('2500-01-01') }), fc.integer({ min: 10_002, max: 40_000 }))
    .map(([bucket, from, n]) => ({ bucket, from: at(from), to: at(from + n * bucketSpan[bucket]) })),
);
// Datasets: any text but NUL, not blank (a namespace is normalised, a name trimmed, on the way in).
const datasetText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('postgres://db:5432', 'S3://Lake/', 's3://lake', 'bigquery', 'public.orders', 'raw/orders 🕷', ' a ') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((v) => v.trim() !== '' && !v.includes('\u0000')) },
);
const datasetNearMiss = fc.oneof(fc.constantFrom('', '   ', 'a\u0000b'), fc.integer({ min: 1025, max: 3000 }).map((n) => 'd'.repeat(n)));
const dataset = fc.record({ dataset_namespace: datasetText, dataset_name: datasetText, column: datasetText }, { requiredKeys: ['dataset_namespace', 'dataset_name'] });
/** What a trend query is about: a pipeline, or a dataset (and column), narrowed to a pipeline or not. */
const subject = fc.oneof(
  fc.record({ pipeline_name: pipelineName }),
  fc.tuple(fc.option(pipelineName, { nil: undefined }), dataset).map(([pipeline, d]) => (pipeline === undefined ? d : { pipeline_name: pipeline, ...d })),
);
const subjectCandidates = { pipeline_name: nameNearMiss, dataset_namespace: datasetNearMiss, dataset_name: datasetNearMiss, column: datasetNearMiss };
/** Valid by the schema, refused by the service: half a dataset, a column without one, neither pipeline nor dataset. */
const subjectRefused = fc.oneof(
  fc.record({ dataset_name: datasetText, pipeline_name: pipelineName }, { requiredKeys: ['dataset_name'] }),
  fc.record({ dataset_namespace: datasetText, column: datasetText }, { requiredKeys: ['dataset_namespace'] }),
  fc.record({ column: datasetText, pipeline_name: pipelineName }, { requiredKeys: ['column'] }),
  fc.constant({}),
);
const trendQuery = fc.tuple(subject, metricType).map(([q, metric_type]) => ({ ...q, metric_type }));
const trendRefused = fc.tuple(subjectRefused, metricType).map(([q, metric_type]) => ({ query: { ...q, metric_type } }));

export function qualityRoutes(fx: Fixtures): RouteSpec[] {
  const one = metric(fx);
  const batch = fc.record({ metrics: fc.array(one, { minLength: 1, maxLength: 5 }) });
  const inBatch = (item: fc.Arbitrary<unknown>) =>
    fc.tuple(fc.array(one, { maxLength: 4 }), item, fc.nat()).map(([items, bad, i]) => [...items.slice(0, i % (items.length + 1)), bad, ...items.slice(i % (items.length + 1))]);
  const badItem = fc.oneof(
    fc.tuple(one, fc.constantFrom(...(Object.keys(metricCandidates) as (keyof typeof metricCandidates)[]))).chain(([m, f]) => metricCandidates[f].map((v) => ({ ...m, [f]: v }))),
    one.map((m) => ({ ...m, unit: 'rows' })),
    one.map(({ metric_value: _, ...m }) => m),
    anyJson,
  );
  return [
    {
      route: 'POST /v1/metrics',
      scope: 'ingest',
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: { schema: RecordMetricDto, valid: one, candidates: metricCandidates },
      headers: { 'idempotency-key': badKey },
      semantic: withKey(one.chain(brokenRule).map((body) => ({ body }))),
    },
    {
      route: 'POST /v1/metrics/batch',
      largeBody: true,
      scope: 'ingest',
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: { schema: RecordMetricsBatchDto, valid: batch, candidates: { metrics: fc.oneof(inBatch(badItem), fc.constant([]), anyJson) } },
      headers: { 'idempotency-key': badKey },
      semantic: withKey(fc.oneof(
        { weight: 20, arbitrary: inBatch(one.chain(brokenRule)).map((metrics) => ({ body: { metrics } })) },
        // Over 5,000 items: 413 before any item is looked at.
        { weight: 1, arbitrary: fc.constant({ pipeline_name: 'p', metric_type: 't', metric_value: 1 }).map((m) => ({ body: { metrics: Array.from({ length: 5001 }, () => m) } })) },
      )),
    },
    {
      route: 'GET /v1/metrics',
      scope: 'read',
      query: {
        schema: ListMetricsQuery,
        valid: fc.record({ pipeline_name: pipelineName, metric_type: fc.uniqueArray(metricType, { minLength: 1, maxLength: 20 }), execution_id: uuid, recorded_after: timestamp,
          recorded_before: timestamp, sort: fc.constantFrom(...METRIC_SORTS), limit: fc.integer({ min: 1, max: 500 }).map(String) }, { requiredKeys: [] }),
        candidates: { pipeline_name: nameNearMiss, metric_type: typeNearMiss, execution_id: fc.oneof(uuidNearMiss, urnUuid.map((u) => `${u}x`)), recorded_after: timestampNearMiss,
          recorded_before: timestampNearMiss, sort: fc.constantFrom('metric_value', 'recorded_at ', '--recorded_at'), limit: numberish, cursor: cursorNearMiss },
      },
      semantic: fc.oneof(listingCursor('-recorded_at').map((cursor) => ({ query: { cursor } })), urnUuid.map((id) => ({ query: { execution_id: id } }))),
    },
    {
      route: 'GET /v1/metrics/latest',
      scope: 'read',
      query: {
        schema: LatestQuery,
        valid: fc.tuple(subject, fc.option(fc.uniqueArray(metricType, { minLength: 1, maxLength: 20 }), { nil: undefined }))
          .map(([q, types]) => (types === undefined ? q : { ...q, metric_type: types })),
        candidates: { ...subjectCandidates, metric_type: typeNearMiss },
      },
      semantic: subjectRefused.map((query) => ({ query })),
    },
    {
      route: 'GET /v1/metrics/series',
      scope: 'read',
      query: {
        schema: SeriesQuery,
        valid: fc.tuple(trendQuery, fc.record({ bucket: fc.constantFrom(...BUCKETS), agg: fc.constantFrom(...AGGREGATES), to: timestamp }, { requiredKeys: [] }))
          .map(([q, more]) => ({ ...q, ...more })),
        candidates: { ...subjectCandidates, metric_type: typeNearMiss, from: timestampNearMiss, to: timestampNearMiss,
          bucket: fc.constantFrom('10m', '1H', '5M', '', '1w', '60m'), agg: fc.constantFrom('median', 'AVG', 'p95', '', 'avg,max') },
      },
      semantic: fc.oneof(fc.tuple(trendQuery, seriesRefused).map(([q, r]) => ({ query: { ...q, ...r } })), trendRefused),
    },
    {
      route: 'GET /v1/metrics/anomalies',
      scope: 'read',
      query: {
        schema: AnomaliesQuery,
        valid: fc.tuple(trendQuery, fc.record({ training: windowValue, detection: windowValue, sensitivity: fc.double({ min: 0.001, max: 100, noNaN: true }).map(String) }, { requiredKeys: [] }))
          .map(([q, more]) => ({ ...q, ...more })),
        candidates: { ...subjectCandidates, metric_type: typeNearMiss, training: windowNearMiss, detection: windowNearMiss, sensitivity: fc.oneof(numberish, anyString) },
      },
      semantic: fc.oneof(fc.tuple(trendQuery, fc.constantFrom('training', 'detection'), windowTooLong).map(([q, name, w]) => ({ query: { ...q, [name]: w } })), trendRefused),
    },
    ...datasetRoutes(),
  ];
}

/** The datasets metrics name: the listing and one dataset. */
function datasetRoutes(): RouteSpec[] {
  return [
    {
      route: 'GET /v1/datasets',
      scope: 'read',
      query: {
        schema: ListDatasetsQuery,
        valid: fc.record({ namespace: datasetText, q: datasetText, pipeline_name: pipelineName, limit: fc.integer({ min: 1, max: 200 }).map(String) }, { requiredKeys: [] }),
        candidates: { namespace: datasetNearMiss, q: datasetNearMiss, pipeline_name: nameNearMiss, limit: numberish, cursor: cursorNearMiss },
      },
      semantic: forgedCursor({ s: cursorText, n: cursorText }, { s: datasetText, n: datasetText }).map((cursor) => ({ query: { cursor } })),
    },
    {
      route: 'GET /v1/datasets/{namespace}/{name}',
      scope: 'read',
      path: { namespace: pathParam(DatasetParams, 'namespace', datasetText, datasetNearMiss), name: pathParam(DatasetParams, 'name', datasetText, datasetNearMiss) },
      query: { schema: NoQuery, valid: fc.constant({}) },
      // No metric names a dataset of this namespace: 404.
      semantic: datasetText.map((name) => ({ path: { namespace: encodeURIComponent('fuzz://no-metrics-here'), name: encodeURIComponent(name) } })),
    },
  ];
}

