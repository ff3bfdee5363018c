import { Conditions, keysetPageSql } from '../database/keyset.js';
import { isoColumn } from '../database/sql.js';
import type { MetricSort } from './dto/list-metrics.query.js';

export const METRIC_COLUMNS = [
  'm.metric_id',
  'm.pipeline_name',
  'm.metric_type',
  'm.metric_value',
  isoColumn('m.recorded_at'),
  'm.execution_id',
  'm.metadata',
  isoColumn('m.created_at'),
].join(', ');

/**
 * Every metric of a request in one statement, however many: the rows travel as one JSON array and
 * PostgreSQL unpacks them. The statement is atomic, so a batch is written all or none.
 */
export const INSERT_METRICS = `
  insert into data_quality_metrics as m (metric_id, pipeline_name, metric_type, metric_value, recorded_at, execution_id, metadata)
  select x.metric_id, x.pipeline_name, x.metric_type, x.metric_value, x.recorded_at, x.execution_id, coalesce(x.metadata, '{}')
  from jsonb_to_recordset(?::jsonb) as x(metric_id uuid, pipeline_name text, metric_type text, metric_value float8,
                                         recorded_at timestamptz, execution_id uuid, metadata jsonb)`;

/** The metrics one source derived for some executions (served by the execution_id index). */
export const DELETE_DERIVED_METRICS = `delete from data_quality_metrics where execution_id = any(?::uuid[]) and metadata->>'source' = ?`;

export const EXISTING_EXECUTIONS = `select execution_id from pipeline_executions where execution_id = any(?::uuid[])`;

export interface MetricFilters {
  pipelineName?: string;
  metricTypes?: string[];
  executionId?: string;
  recordedAfter?: string;
  recordedBefore?: string;
  after?: { recordedAt: string; id: string };
}

/** One page of metrics, keyset over (recorded_at, metric_id) as the executions listing. */
export function listMetricsSql(filters: MetricFilters, sort: MetricSort, limit: number): { sql: string; params: unknown[] } {
  const where = new Conditions();
  if (filters.pipelineName !== undefined) where.add('m.pipeline_name = ?', filters.pipelineName);
  if (filters.metricTypes?.length) where.add('m.metric_type = any(?::text[])', filters.metricTypes);
  if (filters.executionId !== undefined) where.add('m.execution_id = ?', filters.executionId);
  if (filters.recordedAfter !== undefined) where.add('m.recorded_at >= ?::timestamptz', filters.recordedAfter);
  if (filters.recordedBefore !== undefined) where.add('m.recorded_at < ?::timestamptz', filters.recordedBefore);
  const after = filters.after && { time: filters.after.recordedAt, id: filters.after.id };
  return keysetPageSql(
    { from: `select ${METRIC_COLUMNS} from data_quality_metrics m`, timeColumn: 'm.recorded_at', idColumn: 'm.metric_id', desc: sort === '-recorded_at', after, limit },
    where,
  );
}
