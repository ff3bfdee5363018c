import { Type, type Static } from '@sinclair/typebox';
import { PipelineName, Text, Timestamp, Uuid } from '../../http/schemas.js';
import { ColumnName, DatasetName, DatasetNamespace } from './dataset-fields.js';

export const MetricType = Type.String({
  pattern: '^[a-z0-9_.]+$',
  minLength: 1,
  maxLength: 100,
  description: 'Lower-case letters, digits, _ and .; at most 100 characters, e.g. row_count or null_rate.order_id',
});

/** The metric type of a data test's result (an assertion): 1 passed, 0 failed. */
export const ASSERTION_METRIC = 'assertion';

export const AssertionResult = Type.Object(
  {
    name: Text({ maxLength: 512, notBlank: true, description: 'The test, e.g. not_null_orders_order_id: with the dataset and column, what identifies it.' }),
    failing_rows: Type.Optional(Type.Integer({ minimum: 0, description: 'How many rows failed it, when known.' })),
  },
  {
    additionalProperties: false,
    description: `A data test's result: metric_type must then be "${ASSERTION_METRIC}" and metric_value 1 (passed) or 0 (failed).`,
  },
);

/** One measurement. JSON has no NaN or Infinity; the bounds also refuse numbers too large to be finite (1e400). */
export const RecordMetricDto = Type.Object(
  {
    pipeline_name: PipelineName,
    metric_type: MetricType,
    metric_value: Type.Number({ minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE, description: 'A finite number.' }),
    recorded_at: Type.Optional({ ...Timestamp, description: 'When it was measured; default now. At most METRICS_MAX_FUTURE_SKEW_MS ahead.' }),
    execution_id: Type.Optional({ ...Uuid, description: 'The run it belongs to; must exist.' }),
    metadata: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Any JSON object, at most METRICS_METADATA_MAX_BYTES (16 KB) serialized.' })),
    dataset_namespace: Type.Optional(DatasetNamespace),
    dataset_name: Type.Optional(DatasetName),
    column: Type.Optional(ColumnName),
    assertion: Type.Optional(AssertionResult),
  },
  { additionalProperties: false, title: 'RecordMetric' },
);
export type RecordMetricDto = Static<typeof RecordMetricDto>;

export const BATCH_MAX_ITEMS = 5000;

export const RecordMetricsBatchDto = Type.Object(
  {
    metrics: Type.Array(RecordMetricDto, {
      minItems: 1,
      description: `1 to ${BATCH_MAX_ITEMS} metrics, written all or none; more answers 413.`,
    }),
  },
  { additionalProperties: false, title: 'RecordMetricsBatch' },
);
export type RecordMetricsBatchDto = Static<typeof RecordMetricsBatchDto>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description: 'Makes a retry safe: the same key and body, from the same API key on this route, within 24 hours answer the first response and write nothing. Keys are per API key and route.',
    }),
  ),
});
export type IdempotencyHeaders = Static<typeof IdempotencyHeaders>;
