// What a benchmark scenario is, and what the harness (bench/run.ts) hands it. A module under bench/ joins
// the harness by exporting `scenarios: Scenario[]` and being listed in run.ts; bench/lineage.ts is picked
// up by name when it exists (see run.ts).
import type { BaselineServer } from './baseline.js';
import type { BenchDatabases, GeneratedData } from './databases.js';
import type { DataKind } from './generate.js';
import { cpuPerUnit, measure, type Comparison, type LoadOptions, type LoadResult, type Measure } from './load.js';
import type { RunningApp } from './support.js';

export interface BenchContext {
  /** A second or two per measurement, small data: proves the scenario works, judges nothing. */
  smoke: boolean;
  /** Seconds of load per phase (A/B/B/A: four phases per comparison). */
  phaseSeconds: number;
  /** e.g. "PostgreSQL 15.20 (Debian …) at 127.0.0.1:5432" */
  server: string;
  /** The server's databases: the migrated template, clones, the admin connection. */
  databases: BenchDatabases;
  /** A fresh, migrated, empty database `bench_<name>` (cloned from the cached migrated template). */
  freshDatabase(name: string): Promise<string>;
  /** The cached database with the large generated tables (generated once per schema, see databases.ts). */
  dataDatabase(kind: DataKind): Promise<GeneratedData>;
  /** The built app (`node dist/main.js`, RATE_LIMIT_MAX=0) on that database, with an API key of every scope. */
  startApp(url: string, env?: Record<string, string>): Promise<RunningApp>;
  /** The plain node:http + pg server issuing the app's SQL (bench/baseline-server.ts) on that database. */
  startBaseline(url: string): Promise<BaselineServer>;
  /** One autocannon run; latencies are the client's, per request. */
  load(options: LoadOptions): Promise<LoadResult>;
  /** Rows already printed by earlier scenarios of this run, by scenario name (e.g. lineage reads `create`). */
  earlier: Map<string, ScenarioResult>;
  /** The compiled app module at `path` under dist/ (e.g. 'src/audit/executions.sql.js'). */
  appModule<T>(path: string): Promise<T>;
}

/** One side of a comparison. `rate` is requests, rows or events per second; absent for latency-only rows. */
export interface Row {
  measure: string;
  unit: 'req/s' | 'rows/s' | 'events/s' | 'ms' | 'MiB';
  app: Measure;
  baseline?: Measure;
  /** Peak resident memory of the app process while this row was measured (VmHWM), MiB. */
  peakRssMiB?: number;
  /** CPU time of the app's and the baseline's process per request (or row, event), µs. */
  cpuUs?: { app?: number; baseline?: number };
  /** What the issue asks, e.g. "ratio >= 0.6, p99 <= 3x"; `met` undefined: reported, not judged. */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface ScenarioResult {
  rows: Row[];
  /** Anything else worth keeping in bench/results/NAME.json (generation time, raw series, …). */
  details?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/** app / baseline of the rates (higher is better), or of the latencies when there are no rates. */
export function ratioOf(row: Row): number | undefined {
  if (!row.baseline) return undefined;
  if (row.app.rate !== undefined && row.baseline.rate) return row.app.rate / row.baseline.rate;
  return row.baseline.p50 > 0 ? row.app.p50 / row.baseline.p50 : undefined;
}

/** Runs `body` with the app and the baseline server on `url`, and stops both. */
export async function withServers<T>(
  ctx: BenchContext,
  url: string,
  body: (app: RunningApp, baseline: BaselineServer) => Promise<T>,
  appEnv: Record<string, string> = {},
): Promise<T> {
  const app = await ctx.startApp(url, appEnv);
  const baseline = await ctx.startBaseline(url).catch(async (error: unknown) => {
    await app.stop();
    throw error;
  });
  try {
    return await body(app, baseline);
  } finally {
    await Promise.all([app.stop(), baseline.stop()]);
  }
}

/** A row of a comparison, judged by `judge` when there is a target (it sees the rounded figures, as printed). */
export function row(label: string, c: Comparison, target?: string, judge?: (r: Row) => boolean, unit: Row['unit'] = 'req/s'): Row {
  const cpuUs = { app: cpuPerUnit(c.app), baseline: cpuPerUnit(c.baseline) };
  const r: Row = { measure: label, unit, app: measure(c.app), baseline: measure(c.baseline), peakRssMiB: c.peakRssMiB, cpuUs, target };
  return { ...r, met: judge?.(r) };
}

/** The ratio target, with no errors: a fast side that answered errors has not done the work. */
export const atLeast = (min: number) => (r: Row) => (ratioOf(r) ?? 0) >= min && r.app.errors === 0;
