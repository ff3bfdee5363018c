import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, StoredPipelineName, Text, Timestamp, Uuid } from '../../http/schemas.js';
import { MAX_COLUMNS, MAX_PIPELINES } from '../datasets.sql.js';
import { ColumnName, DatasetName, DatasetNamespace } from './dataset-fields.js';
import { MetricType } from './record-metric.dto.js';

export const ListDatasetsQuery = Type.Object(
  {
    namespace: Type.Optional({ ...DatasetNamespace, description: 'Only datasets of this namespace (normalised as stored, docs/datasets.md).' }),
    q: Type.Optional(Text({ maxLength: 1024, description: 'Names starting with this text (case-sensitive).' })),
    pipeline_name: Type.Optional({ ...StoredPipelineName, description: 'Only datasets this pipeline reported metrics of; their metrics are its reports.' }),
    limit: Type.Optional(Limit(200, 50)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListDatasetsQuery = Static<typeof ListDatasetsQuery>;

export const DatasetParams = Type.Object({ namespace: DatasetNamespace, name: DatasetName }, { additionalProperties: false });
export type DatasetParams = Static<typeof DatasetParams>;

const LatestPoint = Type.Object(
  {
    metric_type: MetricType,
    metric_value: Type.Number(),
    recorded_at: Timestamp,
    metric_id: Uuid,
    pipeline_name: { ...StoredPipelineName, description: 'The pipeline that reported it.' },
  },
  { additionalProperties: false, title: 'LatestPoint' },
);

export const DatasetResponse = Type.Object(
  {
    dataset_namespace: DatasetNamespace,
    dataset_name: DatasetName,
    pipelines: Type.Array(StoredPipelineName, { description: `The pipelines that reported its metrics, by name (at most ${MAX_PIPELINES}).` }),
    first_recorded_at: Timestamp,
    last_recorded_at: Timestamp,
    metrics: Type.Array(LatestPoint, { description: 'The newest dataset-level metric (naming no column) of each type, by type, from whichever pipeline reported it last.' }),
    columns: Type.Array(
      Type.Object({ column: ColumnName, metrics: Type.Array(LatestPoint) }, { additionalProperties: false }),
      { description: `The newest metric of each type of each column, by column name: the first ${MAX_COLUMNS} columns (column_count says how many have metrics).` },
    ),
    column_count: Type.Integer({ description: 'Columns with metrics.' }),
    open_incidents: Type.Integer({ description: 'Incidents naming the dataset (any column) that are not resolved.' }),
  },
  { additionalProperties: false, title: 'Dataset' },
);
export type DatasetResponse = Static<typeof DatasetResponse>;
export type LatestPoint = Static<typeof LatestPoint>;
export type DatasetEntry = LatestPoint & { column: string | null };
