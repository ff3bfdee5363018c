import { sql, type ExpressionBuilder } from 'kysely';
import { keysetPage } from '../database/keyset.js';
import type { Database, DataQualityMetricsTable } from '../database/schema.js';
import { isoText, prepared, queries, type Db } from '../database/typed-sql.js';
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

/** One page of metrics, keyset over (recorded_at, metric_id) as the executions listing; built per request. */
export function listMetrics(filters: MetricFilters, sort: MetricSort, limit: number) {
  let query = queries.selectFrom('data_quality_metrics').select(metricColumns);
  const { pipelineName, metricTypes, executionId, recordedAfter, recordedBefore } = filters;
  if (pipelineName !== undefined) query = query.where('pipeline_name', '=', pipelineName);
  if (metricTypes?.length) query = query.where((eb) => eb('metric_type', '=', eb.fn.any(sql<string[]>`${metricTypes}::text[]`)));
  if (executionId !== undefined) query = query.where('execution_id', '=', executionId);
  if (recordedAfter !== undefined) query = query.where('recorded_at', '>=', sql<Date>`${recordedAfter}::timestamptz`);
  if (recordedBefore !== undefined) query = query.where('recorded_at', '<', sql<Date>`${recordedBefore}::timestamptz`);
  const after = filters.after && { time: filters.after.recordedAt, id: filters.after.id };
  // Qualified: a bare recorded_at in ORDER BY would name the text column of the select list.
  const key = { time: 'data_quality_metrics.recorded_at', id: 'data_quality_metrics.metric_id' } as const;
  return keysetPage(query, { ...key, desc: sort === '-recorded_at', after, limit });
}
