// Shared pieces of the benchmark scripts: a database to run against, the built app as a child process,
// and latency statistics. Benchmarks run on loopback only and stop by themselves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startDisposablePostgres } from '../test/support/disposable-postgres.js';

export interface BenchDatabase {
  url: string;
  server: string;
  close(): Promise<void>;
}

/** A fresh database `name` on BENCH_DATABASE_URL's server (default: the local one), else on an embedded one. */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const admin = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const client = new pg.Client({ connectionString: admin.toString() });
  const reachable = await client.connect().then(() => true, () => false);
  if (reachable) {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return { url: url.toString(), server: `PostgreSQL ${rows[0].v} at ${admin.host}`, close: async () => undefined };
  }
  const embedded = await startDisposablePostgres();
  await embedded.createDatabase(name);
  return { url: embedded.url(name), server: 'embedded PostgreSQL 18', close: () => embedded.destroy() };
}

export function migrate(url: string): void {
  const run = spawnSync(process.execPath, ['dist/cli.js', 'migrate', 'up'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`migrating the bench database failed: ${run.stdout}${run.stderr}`);
}

export interface RunningApp {
  base: string;
  process: ChildProcess;
  /** Authorization and JSON headers for its API: the first key the app created on its fresh database. */
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/** The built app, as production runs it, on a fresh database: it creates its first API key, which we use. */
export async function startApp(url: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pl-bench-'));
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATIONS_ON_BOOT: 'check', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const status = await fetch(`${base}/health/ready`).then((r) => r.status, () => 0);
    if (status === 200) {
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
      const stop = async () => {
        child.kill('SIGTERM');
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
      };
      return { base, process: child, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the app did not become ready');
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(p * sortedMs.length))];
}

/** Times `count` sequential calls; returns sorted latencies in ms. */
export async function latencies(count: number, call: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

export function writeResults(name: string, results: object): void {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(results, null, 2)}\n`);
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
