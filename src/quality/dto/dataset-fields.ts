import { Text } from '../../http/schemas.js';

// The fields that name a dataset and a column, wherever the API takes them (metrics, trend queries,
// monitors): stored normalised by datasetIdentity (src/lineage/dataset-identity.ts, docs/datasets.md).
export const DATASET_FIELD_MAX_LENGTH = 1024;

export const DatasetNamespace = Text({
  maxLength: DATASET_FIELD_MAX_LENGTH,
  notBlank: true,
  description: 'Where the dataset lives, as OpenLineage names it (e.g. postgres://db:5432); with dataset_name.',
});
export const DatasetName = Text({
  maxLength: DATASET_FIELD_MAX_LENGTH,
  notBlank: true,
  description: 'The dataset within its namespace (e.g. public.orders); with dataset_namespace.',
});
export const ColumnName = Text({ maxLength: DATASET_FIELD_MAX_LENGTH, notBlank: true, description: 'One column of the dataset; needs dataset_namespace and dataset_name.' });
