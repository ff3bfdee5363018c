import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../database/schema.js';
import type { SubjectShape, SubjectValues } from './series-subject.js';

/** The tables keyed by a series' identity (pipeline, dataset namespace and name, column, metric type). */
type SeriesTable = 'data_quality_metrics' | 'data_quality_metric_hours' | 'metric_series';
type Identity = Record<'pipeline_name' | 'dataset_namespace' | 'dataset_name' | 'column_name' | 'metric_type', unknown>;
/** The identity columns, typed by the metrics table; this does not compile unless each of those tables has them. */
const eb = expressionBuilder<Database, Database[SeriesTable] extends Identity ? 'data_quality_metrics' : never>();

/**
 * The rows of a subject's series, in whichever of those tables the query reads (columns unqualified, so
 * used where only that table is in scope). A pipeline's own series are the rows naming no dataset
 * (`dataset_name is null`, the predicate of the pipeline-level indexes); a dataset's are its rows with that
 * column (or none), from any pipeline unless narrowed to one.
 */
export function ofSubject(shape: SubjectShape, p: SubjectValues): Expression<SqlBool> {
  if (!shape.dataset) return eb.and([eb('pipeline_name', '=', p.pipeline), eb('dataset_name', 'is', null)]);
  return eb.and([
    eb('dataset_namespace', '=', p.namespace),
    eb('dataset_name', '=', p.name),
    shape.column ? eb('column_name', '=', p.column) : eb('column_name', 'is', null),
    ...(shape.pipeline ? [eb('pipeline_name', '=', p.pipeline)] : []),
  ]);
}
