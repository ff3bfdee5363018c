import { createHash } from 'node:crypto';
import { v7 } from 'uuid';
import { ExecutionStatus } from '../src/audit/execution-status.js';

/** The pipelines the demo seeder owns: re-seeding replaces their rows and touches no others. */
export const DEMO_PIPELINES = [
  { name: 'orders_daily_etl', everyHours: 24, rows: 120_000, failureRate: 0.08 },
  { name: 'customers_cdc_sync', everyHours: 6, rows: 8_000, failureRate: 0.04 },
  { name: 'clickstream_hourly', everyHours: 3, rows: 2_500_000, failureRate: 0.12 },
  { name: 'inventory_snapshot', everyHours: 12, rows: 45_000, failureRate: 0.02 },
  { name: 'finance_ledger_load', everyHours: 24, rows: 310_000, failureRate: 0.05 },
] as const;

export const DEMO_DAYS = 30;
const HOUR = 3_600_000;

/** mulberry32: a tiny seeded PRNG, so the same day always produces the same demo data. */
function prng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A UUIDv7 for `at`, with its random part derived from `key`: time-ordered and reproducible. */
export function deterministicUuidV7(at: Date, key: string): string {
  const random = createHash('sha256').update(key).digest().subarray(0, 16);
  return v7({ msecs: at.getTime(), seq: 0, random });
}

export interface DemoExecution {
  id: string;
  pipelineName: string;
  status: ExecutionStatus;
  startedAt: Date;
  completedAt: Date | null;
  inputFile: string;
  rowCounts: Record<string, number>;
  errorDetails: string | null;
  attempt: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoMetric {
  id: string;
  pipelineName: string;
  metricType: string;
  metricValue: number;
  recordedAt: Date;
  metadata: Record<string, unknown>;
  executionId: string | null;
  createdAt: Date;
}

const FAILURES = [
  'source file missing: upstream export did not arrive before the deadline',
  'duplicate key value violates unique constraint "orders_pkey"',
  'schema drift: column "discount_code" not found in source',
  'worker lost: executor heartbeat timed out after 600 s',
];

function outcome(random: () => number, failureRate: number, newest: boolean, index: number): ExecutionStatus {
  if (newest) return index === 0 ? ExecutionStatus.Pending : ExecutionStatus.Running;
  const roll = random();
  if (roll < failureRate) return ExecutionStatus.Failed;
  if (roll < failureRate + 0.02) return ExecutionStatus.Cancelled;
  return ExecutionStatus.Succeeded;
}

/**
 * Executions and their metrics for the last DEMO_DAYS days before `anchor` (UTC midnight of the seeding
 * day). Every status appears; the newest run of each pipeline is still pending or running.
 */
export function buildDemoData(anchor: Date): { executions: DemoExecution[]; metrics: DemoMetric[] } {
  const executions: DemoExecution[] = [];
  const metrics: DemoMetric[] = [];
  DEMO_PIPELINES.forEach((pipeline, p) => {
    const random = prng(`${pipeline.name}@${anchor.toISOString()}`);
    const runs = Math.floor((DEMO_DAYS * 24) / pipeline.everyHours);
    for (let i = 0; i < runs; i++) {
      const startedAt = new Date(anchor.getTime() - (runs - i) * pipeline.everyHours * HOUR + p * 7 * 60_000);
      const status = outcome(random, pipeline.failureRate, i === runs - 1, p % 2);
      const terminal = status !== ExecutionStatus.Pending && status !== ExecutionStatus.Running;
      const completedAt = terminal ? new Date(startedAt.getTime() + Math.round((5 + random() * 40) * 60_000)) : null;
      const read = Math.round(pipeline.rows * (0.85 + random() * 0.3));
      const written = status === ExecutionStatus.Succeeded ? read - Math.round(read * random() * 0.01) : 0;
      const id = deterministicUuidV7(startedAt, `${pipeline.name}#${i}`);
      executions.push({
        id,
        pipelineName: pipeline.name,
        status,
        startedAt,
        completedAt,
        inputFile: `s3://demo-landing/${pipeline.name}/${startedAt.toISOString().slice(0, 13)}.parquet`,
        rowCounts: status === ExecutionStatus.Pending ? {} : { read, written },
        errorDetails: status === ExecutionStatus.Failed ? FAILURES[Math.floor(random() * FAILURES.length)] : null,
        attempt: status === ExecutionStatus.Failed && random() < 0.5 ? 2 : 1,
        createdAt: startedAt,
        updatedAt: completedAt ?? startedAt,
      });
      if (status !== ExecutionStatus.Succeeded) continue;
      const at = completedAt as Date;
      // A silent drop in the row count a few days ago gives the anomaly detector something to find.
      const dip = i === runs - Math.ceil(72 / pipeline.everyHours) ? 0.35 : 1;
      const values: Record<string, number> = {
        row_count: Math.round(written * dip),
        null_rate: Number((0.002 + random() * 0.01).toFixed(5)),
        duplicate_rate: Number((random() * 0.002).toFixed(5)),
        freshness_seconds: Math.round((at.getTime() - startedAt.getTime()) / 1000 + random() * 600),
      };
      for (const [metricType, metricValue] of Object.entries(values)) {
        metrics.push({
          id: deterministicUuidV7(at, `${pipeline.name}#${i}/${metricType}`),
          pipelineName: pipeline.name,
          metricType,
          metricValue,
          recordedAt: at,
          metadata: { source: 'demo-seeder', dataset: `warehouse.${pipeline.name}` },
          executionId: id,
          createdAt: at,
        });
      }
    }
  });
  return { executions, metrics };
}

/** UTC midnight of `now`: re-seeding on the same day reproduces exactly the same rows. */
export function demoAnchor(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
