import type { RequiredEntityData } from '@mikro-orm/core';
import type { DataQualityMetric } from '../src/quality/data-quality-metric.entity.js';
import type { Monitor } from '../src/monitors/monitor.entity.js';
import { ExecutionStatus } from '../src/audit/execution-status.js';
import { deterministicUuidV7, type DemoExecution } from './demo-data.js';

const DAY = 86_400_000;

/**
 * A dbt project whose data went wrong (docs/datasets.md, docs/monitors.md), relative to the anchor (UTC
 * midnight of the seeding day):
 * - analytics.public.orders has four weeks of daily row counts, lower at weekends, then yesterday's load
 *   wrote a quarter of the usual rows; a metric_anomaly monitor (day_of_week, drop) fires on the first tick.
 * - analytics.public.payments has a not-null test on its `amount` column that passed every day and failed
 *   yesterday with 12 failing rows; a test_failed monitor on the pipeline fires on the first tick.
 */
export const DEMO_DATASET_PIPELINE = { name: 'dbt_jaffle_shop', owner: 'analytics-eng', team: 'analytics', every: '1 day' } as const;
export const DEMO_NAMESPACE = 'postgres://warehouse:5432';
export const DEMO_ORDERS = 'analytics.public.orders';
export const DEMO_PAYMENTS = 'analytics.public.payments';

type MetricRow = RequiredEntityData<DataQualityMetric>;
const HISTORY_DAYS = 29;

const runStart = (anchor: Date, d: number) => new Date(anchor.getTime() - d * DAY + 4 * 3_600_000);
const runId = (anchor: Date, d: number) => deterministicUuidV7(runStart(anchor, d), `${DEMO_DATASET_PIPELINE.name}#${d}`);

/** The nightly `dbt build` runs: all succeeded (the load finished; what it wrote is what went wrong). */
export function buildDatasetRuns(anchor: Date): DemoExecution[] {
  return Array.from({ length: HISTORY_DAYS }, (_, i) => {
    const d = HISTORY_DAYS - i;
    const startedAt = runStart(anchor, d);
    const completedAt = new Date(startedAt.getTime() + 40 * 60_000);
    return {
      id: runId(anchor, d),
      pipelineName: DEMO_DATASET_PIPELINE.name,
      status: ExecutionStatus.Succeeded,
      startedAt,
      completedAt,
      inputFile: 'target/run_results.json',
      rowCounts: {},
      errorDetails: null,
      attempt: 1,
      createdAt: startedAt,
      updatedAt: completedAt,
    };
  });
}

/** The daily loads' metrics: four weeks of history and yesterday's broken one. */
export function buildDatasetMetrics(anchor: Date): MetricRow[] {
  const rows: MetricRow[] = [];
  const metric = (d: number, type: string, value: number, extra: Partial<MetricRow>): MetricRow => {
    const recordedAt = new Date(anchor.getTime() - d * DAY + 5 * 3_600_000);
    return {
      id: deterministicUuidV7(recordedAt, `${DEMO_DATASET_PIPELINE.name}#${d}/${type}/${String(extra.datasetName)}`),
      pipelineName: DEMO_DATASET_PIPELINE.name,
      metricType: type,
      metricValue: value,
      recordedAt,
      datasetNamespace: DEMO_NAMESPACE,
      metadata: { source: 'demo' },
      execution: runId(anchor, d),
      createdAt: recordedAt,
      ...extra,
    };
  };
  for (let d = HISTORY_DAYS; d >= 1; d--) {
    const weekday = new Date(anchor.getTime() - d * DAY).getUTCDay();
    const usual = weekday === 0 || weekday === 6 ? 21_000 : 52_000;
    const rowCount = d === 1 ? Math.round(usual / 4) : usual + ((d * 7919) % 1_200) - 600;
    rows.push(metric(d, 'row_count', rowCount, { datasetName: DEMO_ORDERS }));
    const failed = d === 1;
    const assertion = { assertion: 'not_null_payments_amount', success: !failed, column: 'amount', ...(failed ? { failing_rows: 12 } : {}) };
    rows.push(metric(d, 'assertion', failed ? 0 : 1, { datasetName: DEMO_PAYMENTS, columnName: 'amount', metadata: { source: 'demo', assertion } }));
  }
  return rows;
}

/** What every demo monitor has in common: enabled, created by the seeder (no key) at the anchor. */
export const seededMonitor = (anchor: Date) => ({
  resolveAfter: 1,
  enabled: true,
  disabledAt: null,
  createdByKey: null,
  deadlineOccurrence: null,
  nextDeadlineAt: null,
  createdAt: anchor,
  updatedAt: anchor,
});

/** The two data monitors that notice it. */
export function datasetMonitorRows(anchor: Date): RequiredEntityData<Monitor>[] {
  const common = seededMonitor(anchor);
  return [
    {
      ...common,
      id: deterministicUuidV7(anchor, `${DEMO_ORDERS}/anomaly`),
      name: `demo ${DEMO_ORDERS} row_count anomaly`,
      pipelineName: null,
      datasetNamespace: DEMO_NAMESPACE,
      datasetName: DEMO_ORDERS,
      columnName: null,
      kind: 'metric_anomaly',
      severity: 'warning',
      params: { metric_type: 'row_count', seasonality: 'day_of_week', direction: 'drop', training: 'P28D', sensitivity: 3.5, min_abs_change: 0, min_rel_change: 0.1 },
    },
    {
      ...common,
      id: deterministicUuidV7(anchor, `${DEMO_DATASET_PIPELINE.name}/tests`),
      name: `demo ${DEMO_DATASET_PIPELINE.name} test_failed`,
      pipelineName: DEMO_DATASET_PIPELINE.name,
      kind: 'test_failed',
      severity: 'critical',
      params: {},
    },
  ];
}
