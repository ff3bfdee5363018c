import { sql, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../database/schema.js';
import { isoText, preparedShapes } from '../database/typed-sql.js';

/** The columns of a dataset whose latest metrics a dataset answer carries; column_count says how many it has. */
export const MAX_COLUMNS = 100;
/** The pipelines a dataset answer names (those that reported its metrics), by name. */
export const MAX_PIPELINES = 20;

/** Which datasets a request asks for: flags only (see preparedShapes); the values go through DatasetListValues. */
export interface DatasetListShape {
  /** One dataset (GET /v1/datasets/{namespace}/{name}) instead of a page. */
  one: boolean;
  namespace: boolean;
  /** A name prefix (`q`). */
  q: boolean;
  pipeline: boolean;
  after: boolean;
}

export interface DatasetListValues {
  namespace: string;
  name: string;
  /** A LIKE pattern: the escaped prefix and %. */
  pattern: string;
  pipeline: string;
  afterNamespace: string;
  afterName: string;
  fetch: number;
}

type Datasets = Database & { d: { dataset_namespace: string; dataset_name: string } };

/** The series of the dataset `d` in the catalog, of one pipeline when the shape narrows to one. */
const seriesOf = (eb: ExpressionBuilder<Datasets, 'd'>, shape: DatasetListShape, p: DatasetListValues) => {
  let q = eb
    .selectFrom('metric_series as s')
    .whereRef('s.dataset_namespace', '=', 'd.dataset_namespace')
    .whereRef('s.dataset_name', '=', 'd.dataset_name');
  if (shape.pipeline) q = q.where('s.pipeline_name', '=', p.pipeline);
  return q;
};

/**
 * The newest point of each dataset-level and column series of `d` (across pipelines: of each column and
 * type, the one last recorded), for the dataset-level series and the first MAX_COLUMNS columns by name.
 * Reads the series catalog only (its last value), never the metrics.
 */
const latestOf = (eb: ExpressionBuilder<Datasets, 'd'>, shape: DatasetListShape, p: DatasetListValues) => {
  const firstColumns = seriesOf(eb, shape, p).select('s.column_name').where('s.column_name', 'is not', null).distinct().orderBy('s.column_name').limit(sql.lit(MAX_COLUMNS));
  return seriesOf(eb, shape, p)
    .select((eb) => [
      's.column_name as column',
      's.metric_type',
      's.last_value as metric_value',
      isoText(eb.ref('s.last_recorded_at')).as('recorded_at'),
      's.last_metric_id as metric_id',
      's.pipeline_name',
    ])
    .where((eb) => eb.or([eb('s.column_name', 'is', null), eb('s.column_name', 'in', firstColumns)]))
    .distinctOn(['s.column_name', 's.metric_type'])
    .orderBy('s.column_name', (ob) => ob.asc().nullsFirst())
    .orderBy('s.metric_type')
    .orderBy('s.last_recorded_at', 'desc')
    .orderBy('s.last_metric_id', 'desc');
};

/**
 * Datasets with metrics, in (namespace, name) order, one keyset page (or one dataset): from the series
 * catalog (metric_series, its partial index on the dataset), grouped per dataset as its index is read, so a
 * page reads the series of its datasets and stops. Each with its pipelines, its latest metrics (latestOf),
 * how many columns have metrics, and its open incidents (those naming the dataset, any column, not resolved).
 */
export const datasetListing = preparedShapes((db, p: DatasetListValues, shape: DatasetListShape) => {
  let page = db
    .selectFrom('metric_series')
    .select((eb) => [
      eb.ref('dataset_namespace').$notNull().as('dataset_namespace'),
      eb.ref('dataset_name').$notNull().as('dataset_name'),
      eb.fn.min('first_recorded_at').as('first_recorded_at'),
      eb.fn.max('last_recorded_at').as('last_recorded_at'),
    ])
    .where('dataset_name', 'is not', null);
  if (shape.one) page = page.where('dataset_namespace', '=', p.namespace).where('dataset_name', '=', p.name);
  if (shape.namespace) page = page.where('dataset_namespace', '=', p.namespace);
  if (shape.q) page = page.where('dataset_name', 'like', p.pattern);
  if (shape.pipeline) page = page.where('pipeline_name', '=', p.pipeline);
  if (shape.after) page = page.where(sql<boolean>`(dataset_namespace, dataset_name) > (${p.afterNamespace}, ${p.afterName})`);
  const datasets = page.groupBy(['dataset_namespace', 'dataset_name']).orderBy('dataset_namespace').orderBy('dataset_name').limit(p.fetch);
  return db
    .with('d', () => datasets)
    .selectFrom('d')
    .select((eb) => [
      'd.dataset_namespace',
      'd.dataset_name',
      isoText(eb.ref('d.first_recorded_at')).as('first_recorded_at'),
      isoText(eb.ref('d.last_recorded_at')).as('last_recorded_at'),
      eb.fn<string[]>('array', [seriesOf(eb, shape, p).select('s.pipeline_name').distinct().orderBy('s.pipeline_name').limit(sql.lit(MAX_PIPELINES))]).as('pipelines'),
      seriesOf(eb, shape, p)
        .select((eb) => eb.cast<number>(eb.fn.count('s.column_name').distinct(), 'integer').as('n'))
        .as('column_count'),
      jsonArrayFrom(latestOf(eb, shape, p)).as('latest'),
      // Unresolved incidents of the dataset (monitors on data, docs/incidents.md), by its partial index.
      eb
        .selectFrom('incidents as i')
        .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
        .whereRef('i.dataset_namespace', '=', 'd.dataset_namespace')
        .whereRef('i.dataset_name', '=', 'd.dataset_name')
        .where('i.status', '<>', sql.lit('resolved'))
        .as('open_incidents'),
    ])
    .orderBy('d.dataset_namespace')
    .orderBy('d.dataset_name');
});

export type DatasetRow = Awaited<ReturnType<ReturnType<typeof datasetListing>['run']>>[number];
