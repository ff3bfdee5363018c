import { sql, type ExpressionBuilder } from 'kysely';
import { keysetPage } from '../database/keyset.js';
import type { Database, DataQualityMetricsTable } from '../database/schema.js';
import { isoText, prepared, preparedShapes, timestamptz, type Db } from '../database/typed-sql.js';
import type { MetricSort } from './dto/list-metrics.query.js';
import type { MetricRow } from './metric-input.js';

/** A metric as the API shows it, timestamps as RFC 3339 text. */
export const metricColumns = (eb: ExpressionBuilder<Database, 'data_quality_metrics'>) => [
  'metric_id' as const,
  'pipeline_name' as const,
  'metric_type' as const,
  'metric_value' as const,
  isoText(eb.ref('recorded_at')).as('recorded_at'),
  'execution_id' as const,
  'dataset_namespace' as const,
  'dataset_name' as const,
  eb.ref('column_name').as('column'),
  'metadata' as const,
  isoText(eb.ref('created_at')).as('created_at'),
];

/** The columns a metric is written with and the types jsonb_to_recordset reads them as. */
const RECORD_TYPES = {
  metric_id: 'uuid',
  pipeline_name: 'text',
  metric_type: 'text',
  metric_value: 'float8',
  recorded_at: 'timestamptz',
  execution_id: 'uuid',
  dataset_namespace: 'text',
  dataset_name: 'text',
  column_name: 'text',
  metadata: 'jsonb',
} as const satisfies { [C in keyof MetricRow & keyof DataQualityMetricsTable]: string };
const RECORD_COLUMNS = Object.keys(RECORD_TYPES) as (keyof typeof RECORD_TYPES)[];
const recordset = sql.join(RECORD_COLUMNS.map((c) => sql`${sql.ref(c)} ${sql.raw(RECORD_TYPES[c])}`));

/**
 * Every metric of a request in one statement, however many: the rows travel as one JSON array (`rows`, the
 * MetricRow[] as JSON text) and PostgreSQL unpacks them. The statement is atomic: a batch is written all or none.
 */
const insertMetrics = (db: Db, p: { rows: string }) =>
  db
    .insertInto('data_quality_metrics')
    .columns(RECORD_COLUMNS)
    .expression(
      db
        .selectFrom(sql<MetricRow>`jsonb_to_recordset(${p.rows}::jsonb)`.as<'x'>(sql`${sql.id('x')}(${recordset})`))
        .select((eb) => [
          'x.metric_id',
          'x.pipeline_name',
          'x.metric_type',
          'x.metric_value',
          'x.recorded_at',
          'x.execution_id',
          'x.dataset_namespace',
          'x.dataset_name',
          'x.column_name',
          eb.fn.coalesce('x.metadata', sql<MetricRow['metadata']>`'{}'`).as('metadata'),
        ]),
    );

export const INSERT_METRICS = prepared(insertMetrics);

/** As INSERT_METRICS, returning the metrics written as the API shows them. */
export const INSERT_METRICS_RETURNING = prepared((db, p: { rows: string }) => insertMetrics(db, p).returning(metricColumns));

/** The metrics one source derived for some executions (served by the execution_id index). */
export const DELETE_DERIVED_METRICS = prepared((db, p: { executionIds: string[]; source: string }) =>
  db
    .deleteFrom('data_quality_metrics')
    .where((eb) => eb('execution_id', '=', eb.fn.any(sql<string[]>`${p.executionIds}::uuid[]`)))
    .where((eb) => eb(eb.ref('metadata', '->>').key('source'), '=', p.source))
    .returning('metric_id'),
);

export const EXISTING_EXECUTIONS = prepared((db, p: { ids: string[] }) =>
  db
    .selectFrom('pipeline_executions')
    .select('execution_id')
    .where((eb) => eb('execution_id', '=', eb.fn.any(sql<string[]>`${p.ids}::uuid[]`))),
);

export interface MetricFilters {
  pipelineName?: string;
  metricTypes?: string[];
  executionId?: string;
  recordedAfter?: string;
  recordedBefore?: string;
  after?: { recordedAt: string; id: string };
}

/** The values of a listing: the filters it has (its shape says which), the cursor, and the rows to read. */
type ListingValues = Required<Omit<MetricFilters, 'after'>> & { afterTime: string; afterId: string; fetch: number };

const VALUE_FILTERS = ['pipelineName', 'metricTypes', 'executionId', 'recordedAfter', 'recordedBefore'] as const;

const metricListing = preparedShapes((db, p: ListingValues, shape: { given: (typeof VALUE_FILTERS)[number][]; after: boolean; desc: boolean }) => {
  const given = new Set(shape.given);
  let query = db.selectFrom('data_quality_metrics').select(metricColumns);
  if (given.has('pipelineName')) query = query.where('pipeline_name', '=', p.pipelineName);
  if (given.has('metricTypes')) query = query.where((eb) => eb('metric_type', '=', eb.fn.any(sql<string[]>`${p.metricTypes}::text[]`)));
  if (given.has('executionId')) query = query.where('execution_id', '=', p.executionId);
  if (given.has('recordedAfter')) query = query.where('recorded_at', '>=', timestamptz<Date>(p.recordedAfter));
  if (given.has('recordedBefore')) query = query.where('recorded_at', '<', timestamptz<Date>(p.recordedBefore));
  const after = shape.after ? { time: p.afterTime, id: p.afterId } : undefined;
  // Qualified: a bare recorded_at in ORDER BY would name the text column of the select list.
  const key = { time: 'data_quality_metrics.recorded_at', id: 'data_quality_metrics.metric_id' } as const;
  return keysetPage(query, { ...key, desc: shape.desc, after, fetch: p.fetch });
});

/**
 * One page of metrics (and one row more), keyset over (recorded_at, metric_id) as the executions listing.
 * Each combination of filters is prepared once: a request binds its values.
 */
export function listMetrics(filters: MetricFilters, sort: MetricSort, limit: number) {
  const given = VALUE_FILTERS.filter((name) => (name === 'metricTypes' ? Boolean(filters.metricTypes?.length) : filters[name] !== undefined));
  const statement = metricListing({ given, after: filters.after !== undefined, desc: sort === '-recorded_at' });
  // The shape binds only the filters given: the others are never read.
  const values = { ...filters, afterTime: filters.after?.recordedAt, afterId: filters.after?.id, fetch: limit + 1 } as ListingValues;
  return statement.bind(values);
}
