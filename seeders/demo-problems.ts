import { ExecutionStatus } from '../src/audit/execution-status.js';
import { deterministicUuidV7, DEMO_PIPELINES, type DemoExecution } from './demo-data.js';
import { DEMO_DATASET_PIPELINE } from './demo-datasets.js';

const HOUR = 3_600_000;

/**
 * Three pipelines with something wrong, so that a fresh demo has what the morning questions are about
 * (docs/monitors.md): relative to the anchor (UTC midnight of the seeding day), so they hold all day.
 * - billing_export is failing: its latest run failed (final attempt) after two weeks of nightly successes.
 * - partner_feed_import is late: expected every 6 hours, last succeeded two days ago; a freshness monitor
 *   (max_age PT26H) fires on the service's first tick.
 * - warehouse_vacuum runs long: its current run started 6 hours ago where it usually takes 30 minutes; a
 *   duration monitor (max_duration PT2H) fires on the first tick.
 */
export const DEMO_PROBLEMS = [
  { name: 'billing_export', owner: 'finance-data', team: 'finance', every: null, monitor: null },
  { name: 'partner_feed_import', owner: 'integrations', team: 'platform', every: '6 hours', monitor: { kind: 'freshness', severity: 'critical', params: { max_age: 'PT26H' } } },
  { name: 'warehouse_vacuum', owner: 'dba', team: 'platform', every: '1 day', monitor: { kind: 'duration', severity: 'warning', params: { max_duration: 'PT2H' } } },
] as const;

/** Every pipeline the demo seeder owns (re-seeding replaces their rows). */
export const DEMO_PIPELINE_NAMES: string[] = [...DEMO_PIPELINES.map((p) => p.name), ...DEMO_PROBLEMS.map((p) => p.name), DEMO_DATASET_PIPELINE.name];

function run(name: string, index: number, startedAt: Date, status: ExecutionStatus, minutes: number | null, error: string | null = null): DemoExecution {
  const completedAt = minutes === null ? null : new Date(startedAt.getTime() + minutes * 60_000);
  return {
    id: deterministicUuidV7(startedAt, `${name}#${index}`),
    pipelineName: name,
    status,
    startedAt,
    completedAt,
    inputFile: `s3://demo-landing/${name}/${startedAt.toISOString().slice(0, 10)}.parquet`,
    rowCounts: status === ExecutionStatus.Succeeded ? { read: 10_000 + index, written: 10_000 + index } : {},
    errorDetails: error,
    attempt: 1,
    createdAt: startedAt,
    updatedAt: completedAt ?? startedAt,
  };
}

/** The problem pipelines' runs: 14 days of daily history each, then what is wrong. */
export function buildProblemRuns(anchor: Date): DemoExecution[] {
  const runs: DemoExecution[] = [];
  const day = (d: number, hour: number) => new Date(anchor.getTime() - d * 24 * HOUR + hour * HOUR);
  for (let d = 14; d >= 1; d--) runs.push(run('billing_export', d, day(d, 2), ExecutionStatus.Succeeded, 12));
  runs.push(
    run('billing_export', 0, day(0, -3), ExecutionStatus.Failed, 4, 'psycopg2.errors.UndefinedColumn: column "tax_region" does not exist'),
  );
  for (let d = 14; d >= 2; d--) for (const h of [0, 6, 12, 18]) runs.push(run('partner_feed_import', d * 10 + h / 6, day(d, h), ExecutionStatus.Succeeded, 3));
  for (let d = 14; d >= 1; d--) runs.push(run('warehouse_vacuum', d, day(d, 1), ExecutionStatus.Succeeded, 28 + (d % 5)));
  runs.push(run('warehouse_vacuum', 0, day(0, -6), ExecutionStatus.Running, null));
  return runs;
}
