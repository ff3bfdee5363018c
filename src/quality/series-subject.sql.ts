import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../database/schema.js';
import type { SubjectShape, SubjectValues } from './series-subject.js';

/** The tables keyed by a series' identity (pipeline, dataset namespace and name, column, metric type). */
type SeriesTable = 'data_quality_metrics' | 'metric_series';
type Identity = Record<'pipeline_name' | 'dataset_namespace' | 'dataset_name' | 'column_name' | 'metric_type', unknown>;
/** The identity columns, typed by the metrics table; this does not compile unless each of those tables has them. */
const eb = expressionBuilder<Database, Database[SeriesTable] extends Identity ? 'data_quality_metrics' : never>();

/**
 * The rows of a subject's series, in whichever of those tables the query reads (columns unqualified, so
 * used where only that table is in scope). A pipeline's own series are the rows naming no dataset
 * (`dataset_name is null`, the predicate of the metrics' pipeline-level index; in the catalog, every
 * dataset field null, so that its identity index is used whole); a dataset's are its rows with that column
 * (or none), from any pipeline unless narrowed to one.
 */
export function ofSubject(shape: SubjectShape, p: SubjectValues, table: SeriesTable = 'data_quality_metrics'): Expression<SqlBool> {
  if (!shape.dataset && table === 'metric_series') {
    return eb.and([eb('pipeline_name', '=', p.pipeline), eb('dataset_namespace', 'is', null), eb('dataset_name', 'is', null), eb('column_name', 'is', null)]);
  }
  if (!shape.dataset) return eb.and([eb('pipeline_name', '=', p.pipeline), eb('dataset_name', 'is', null)]);
  return eb.and([
    eb('dataset_namespace', '=', p.namespace),
    eb('dataset_name', '=', p.name),
    shape.column ? eb('column_name', '=', p.column) : eb('column_name', 'is', null),
    ...(shape.pipeline ? [eb('pipeline_name', '=', p.pipeline)] : []),
  ]);
}
