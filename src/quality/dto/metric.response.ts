import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, Timestamp, Uuid } from '../../http/schemas.js';
import { MetricType } from './record-metric.dto.js';

export const MetricResponse = Type.Object(
  {
    metric_id: Uuid,
    pipeline_name: StoredPipelineName,
    metric_type: MetricType,
    metric_value: Type.Number(),
    recorded_at: Timestamp,
    execution_id: Nullable(Uuid),
    dataset_namespace: Nullable(Type.String(), { description: 'The dataset measured, normalised (docs/datasets.md); null: the pipeline itself.' }),
    dataset_name: Nullable(Type.String()),
    column: Nullable(Type.String(), { description: 'The column measured, if one.' }),
    metadata: Type.Object({}, { additionalProperties: true }),
    created_at: Timestamp,
  },
  { additionalProperties: false, title: 'Metric' },
);
export type MetricResponse = Static<typeof MetricResponse>;

export const BatchResponse = Type.Object(
  { count: Type.Integer(), metric_ids: Type.Array(Uuid, { description: 'In the order of the request.' }) },
  { additionalProperties: false, title: 'MetricsBatchResult' },
);
export type BatchResponse = Static<typeof BatchResponse>;
