// Shared pieces of the benchmark harness: the built app as a child process, a private copy of dist/ to
// run it from, and latency statistics. Benchmarks run on loopback only and stop by themselves.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { join, resolve } from 'node:path';
import { freePort } from '../test/support/disposable-postgres.js';

/**
 * The app runs from a copy of dist/ taken at the start of the run: `npm test` and `npm run build` in
 * this shared checkout delete and rebuild dist/ (nest's deleteOutDir), which would otherwise pull the app
 * from under a 15-minute run. The copy lives in node_modules/.cache, which git, eslint and tsc leave
 * alone, and from where node_modules still resolves; package.json goes beside it, because Node looks no
 * further up than a node_modules folder for the "type": "module" of the files (and the app reads its
 * version from there).
 */
const SNAPSHOT = resolve('node_modules/.cache/pipeline-ledger-bench');
export const APP_DIST = join(SNAPSHOT, 'dist');

export function snapshotBuild(): void {
  for (const entry of ['dist/main.js', 'dist/cli.js', 'dist/src/app.module.js', 'dist/migrations']) {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first (npm run bench does)`);
  }
  rmSync(SNAPSHOT, { recursive: true, force: true });
  cpSync('dist', APP_DIST, { recursive: true });
  cpSync('package.json', join(SNAPSHOT, 'package.json'));
}

export function migrate(url: string): void {
  const run = spawnSync(process.execPath, [join(APP_DIST, 'cli.js'), 'migrate', 'up'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`migrating the bench database failed: ${run.stdout}${run.stderr}`);
}

export interface RunningApp {
  base: string;
  process: ChildProcess;
  pid: number;
  /** Authorization and JSON headers for its API. */
  headers: Record<string, string>;
  /** Milliseconds from spawn to the first 200 of /health/ready, and the CPU time it used until then. */
  readyMs: number;
  cpuMs: number;
  /** The DevTools WebSocket of a process started with --inspect. */
  inspectorUrl?: string;
  stop(): Promise<void>;
}

/**
 * Polls `url` every 5 ms until it answers 200; false if the process exits or `limitMs` passes first. The
 * app retries an unreachable or full database for DB_BOOT_RETRY_MS (30 s) before it gives up.
 */
export async function untilOk(url: string, child: ChildProcess, limitMs = 60_000): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline && child.exitCode === null) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

/**
 * Starts a child process serving HTTP and waits for `readyPath`; SIGTERM and wait on stop. Its stdout
 * (the app's JSON log) goes to `stdoutFile` if given, whose end a failed start quotes, else nowhere.
 */
export async function startServer(args: string[], env: Record<string, string>, readyPath: string, stdoutFile?: string) {
  const port = await freePort();
  const started = performance.now();
  const stdout = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  const child = spawn(process.execPath, args, { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') closeSync(stdout);
  // Its warnings and errors pass through; the inspector's notes (the memory scenario's --inspect=…:0) do
  // not, except for the address the inspector chose, which the scenario needs.
  let inspectorUrl: string | undefined;
  createInterface({ input: child.stderr as Readable }).on('line', (line) => {
    inspectorUrl ??= /^Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
    if (!/^(Debugger (listening|attached|ending)|For help, see)/.test(line)) process.stderr.write(`${line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  if (!(await untilOk(`${base}${readyPath}`, child))) {
    child.kill('SIGKILL');
    const log = stdoutFile ? readFileSync(stdoutFile, 'utf8').slice(-2000) : '';
    throw new Error(`${args.join(' ')} did not become ready on ${readyPath} (exit code ${child.exitCode}); the end of its log:\n${log}`);
  }
  const readyMs = performance.now() - started;
  const cpuMs = cpuTimeMs(child.pid as number);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { base, child, readyMs, cpuMs, inspectorUrl, stop };
}

/**
 * CPU time (user + system) a process has used so far, ms, from /proc (10 ms ticks); NaN off Linux. On a
 * busy machine a start waits for the CPU as much as it uses it: this is the part that is its own.
 */
export function cpuTimeMs(pid: number): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * The built app as production runs it (`node dist/main.js`, from the copy above) with `key`, an API key
 * of every scope the harness inserted. No per-key rate limit (RATE_LIMIT_MAX=0), which would throttle
 * the load; logs at warn, as the earlier benchmark runs did.
 */
export async function startApp(url: string, key: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pl-bench-'));
  const appEnv = { DATABASE_URL: url, LOG_LEVEL: 'warn', MIGRATIONS_ON_BOOT: 'check', DATA_DIR: dataDir, RATE_LIMIT_MAX: '0', ...env };
  const server = await startServer([join(APP_DIST, 'main.js')], appEnv, '/health/ready', join(dataDir, 'stdout.log')).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    base: server.base,
    process: server.child,
    pid: server.child.pid as number,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    readyMs: server.readyMs,
    cpuMs: server.cpuMs,
    inspectorUrl: server.inspectorUrl,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
