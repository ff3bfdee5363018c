import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { MetricType } from './record-metric.dto.js';

export const METRIC_SORTS = ['recorded_at', '-recorded_at'] as const;
export type MetricSort = (typeof METRIC_SORTS)[number];

export const ListMetricsQuery = Type.Object(
  {
    pipeline_name: Type.Optional(StoredPipelineName),
    metric_type: Type.Optional(Type.Array(MetricType, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Repeat for several.' })),
    execution_id: Type.Optional(Uuid),
    recorded_after: Type.Optional({ ...Timestamp, description: 'At or after (inclusive).' }),
    recorded_before: Type.Optional({ ...Timestamp, description: 'Before (exclusive).' }),
    sort: Type.Optional(StringEnum(METRIC_SORTS, { default: '-recorded_at' })),
    limit: Type.Optional(Limit(500, 50)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListMetricsQuery = Static<typeof ListMetricsQuery>;
