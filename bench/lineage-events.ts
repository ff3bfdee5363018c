// OpenLineage START / COMPLETE pairs as an Airflow task emits them (statistics and quality facets), and the
// plain-pg baseline: per event, the statements the app issues for it, in one transaction, nothing else.
import pg from 'pg';
import { v7 as uuidV7 } from 'uuid';

type LineageQueries = typeof import('../src/lineage/lineage.sql.js');
type ReportQueries = typeof import('../src/audit/run-reports.sql.js');
type MetricQueries = typeof import('../src/quality/metrics.sql.js');
type ExecutionStatus = import('../src/audit/execution-status.js').ExecutionStatus;

const PRODUCER = 'https://github.com/apache/airflow/tree/providers-openlineage/2.1.0';
const facet = (fields: Record<string, unknown>) => ({ _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json', ...fields });
const INPUT = { namespace: 'postgres://warehouse:5432', name: 'public.orders' };
const OUTPUT = { namespace: 's3://lake', name: 'marts/orders_daily' };

export interface BenchEvent {
  body: Record<string, unknown>;
  runId: string;
  time: string;
  start: boolean;
  pipeline: string;
  /** What the app derives from it: row counts and metric rows (8 on a COMPLETE). */
  rowCounts: Record<string, number>;
  metrics: { metric_type: string; metric_value: number; metadata: Record<string, unknown> }[];
}

/** Endless START, COMPLETE, START, COMPLETE, … of new runs of 50 tasks: never a duplicate. */
export function eventStream(): () => BenchEvent {
  let n = 0;
  let runId = '';
  return () => {
    const start = n % 2 === 0;
    if (start) runId = uuidV7();
    const task = `orders_dag.task_${Math.floor(n / 2) % 50}`;
    const time = new Date().toISOString();
    n++;
    const rows = 1000 + (n % 97);
    const quality = facet({ rowCount: rows, bytes: rows * 120, columnMetrics: { order_id: { nullCount: 0, distinctCount: rows }, amount: { nullCount: 3, distinctCount: 412 } } });
    const assertions = facet({ assertions: [{ assertion: 'not_null', column: 'order_id', success: true }, { assertion: 'unique', column: 'order_id', success: true }] });
    const body = {
      eventType: start ? 'START' : 'COMPLETE',
      eventTime: time,
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId, facets: { parent: facet({ run: { runId: '01936f00-0000-7000-8000-0000000000da' }, job: { namespace: 'airflow', name: 'orders_dag' } }) } },
      job: { namespace: 'airflow', name: task },
      inputs: [{ ...INPUT, inputFacets: start ? { inputStatistics: facet({ rowCount: rows }) } : { dataQualityMetrics: quality, dataQualityAssertions: assertions } }],
      outputs: start ? [] : [{ ...OUTPUT, outputFacets: { outputStatistics: facet({ rowCount: rows - 3 }) } }],
    };
    const meta = (more: Record<string, unknown>) => ({ source: 'openlineage', facet: 'dataQualityMetrics', role: 'input', dataset: INPUT, ...more });
    const metrics = start
      ? []
      : [
          { metric_type: 'row_count', metric_value: rows, metadata: meta({}) },
          { metric_type: 'bytes', metric_value: rows * 120, metadata: meta({}) },
          ...['order_id', 'amount'].flatMap((column) => [
            { metric_type: 'column.null_count', metric_value: column === 'amount' ? 3 : 0, metadata: meta({ column }) },
            { metric_type: 'column.distinct_count', metric_value: column === 'amount' ? 412 : rows, metadata: meta({ column }) },
          ]),
          ...[0, 1].map(() => ({ metric_type: 'assertion', metric_value: 1, metadata: meta({ facet: 'dataQualityAssertions', column: 'order_id' }) })),
        ];
    const rowCounts = start ? { [`input:${INPUT.namespace}/${INPUT.name}`]: rows } : { [`output:${OUTPUT.namespace}/${OUTPUT.name}`]: rows - 3 };
    return { body, runId, time, start, pipeline: `airflow/${task}`, rowCounts, metrics };
  };
}

export interface AppQueries {
  lineage: LineageQueries;
  reports: ReportQueries;
  metrics: MetricQueries;
}

/**
 * One event as the app records it, over a plain pg pool: LineageService.record and RunReportsService.apply's
 * statements in one transaction (no authentication: the baseline is the data's SQL alone).
 */
export async function recordWithPg(pool: pg.Pool, q: AppQueries, e: BenchEvent): Promise<void> {
  const client = await pool.connect();
  const statement = async <P>(s: { sql: string; values: (p: P) => unknown[] }, p: P) => (await client.query(s.sql, s.values(p))).rows as Record<string, string>[];
  try {
    await client.query('begin');
    const json = JSON.stringify(e.body);
    const type = e.start ? 'START' : 'COMPLETE';
    const [row] = await statement(q.lineage.INSERT_LINEAGE_EVENT, {
      id: uuidV7(), eventTime: e.time, kind: 'run', eventType: type, runId: e.runId, jobNamespace: 'airflow', jobName: e.pipeline.slice(8), producer: PRODUCER, payload: json,
    });
    const report = {
      id: e.runId,
      status: (e.start ? 'running' : 'succeeded') as ExecutionStatus,
      completedAt: e.start ? null : e.time,
      errorDetails: null,
      rowCounts: JSON.stringify(e.rowCounts),
      parentId: '01936f00-0000-7000-8000-0000000000da',
      attempt: 1,
      maxAttempts: null,
      nominalTime: null,
      entryId: row.event_id,
      type: e.start ? ('start' as const) : ('succeed' as const),
      occurredAt: row.received_at,
      payload: JSON.stringify({ source: 'openlineage', event_type: type, event_time: e.time, producer: PRODUCER }),
    };
    for (;;) {
      const [locked] = await statement(q.reports.LOCK_EXECUTION, { id: e.runId });
      // A run's first parent: the run and its parent's root locked, then the walk again, as the app does.
      if (!locked?.parent_execution_id) {
        await statement(q.reports.LOCK_PARENT_ROOT({ wait: true }), { id: e.runId, parentId: report.parentId });
        await statement(q.reports.LOCK_PARENT_ROOT({ wait: false }), { id: e.runId, parentId: report.parentId });
      }
      if (locked) await statement(q.reports.MERGE_REPORT, { ...report, at: e.time });
      // The other event of the run may have created it a moment ago: then lock and merge, as the app does.
      if (locked || (await statement(q.reports.INSERT_REPORTED, { ...report, pipelineName: e.pipeline, startedAt: e.time })).length > 0) break;
    }
    const metrics = e.metrics.map((m) => ({ metric_id: uuidV7(), pipeline_name: e.pipeline, recorded_at: e.time, execution_id: e.runId, ...m, metadata: { ...m.metadata, lineage_event_id: row.event_id } }));
    if (metrics.length > 0) await statement(q.metrics.INSERT_METRICS, { rows: JSON.stringify(metrics) });
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
