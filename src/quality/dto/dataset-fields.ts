import { Type } from '@sinclair/typebox';

// TEMPORARY until i18-h1's field schemas are merged.
const NOT_BLANK = '^\\s*[^\\s\\u0000][^\\u0000]*$';
export const DatasetNamespace = Type.String({ minLength: 1, maxLength: 1024, pattern: NOT_BLANK, description: 'OpenLineage dataset namespace, e.g. postgres://db:5432' });
export const DatasetName = Type.String({ minLength: 1, maxLength: 1024, pattern: NOT_BLANK, description: 'OpenLineage dataset name, e.g. public.orders' });
export const ColumnName = Type.String({ minLength: 1, maxLength: 1024, pattern: NOT_BLANK, description: 'A column of the dataset.' });
