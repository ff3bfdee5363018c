import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A spawned service or CLI writes its first-start API key and embedded data here, never into the checkout. */
const scratchDataDir = () => mkdtempSync(join(tmpdir(), 'pl-spawn-data-'));

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a TypeScript entry point (src/main.ts, src/cli.ts) as its own Node process through tsx, the way
 * `npm run cli` does, with `env` on top of a clean environment. Resolves when it exits or is killed.
 */
export function runTs(entry: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DATA_DIR: scratchDataDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface RunningServer {
  /** Polls /health/ready until it answers 200 or `timeoutMs` passes; returns the last status (0: no answer). */
  waitReady(timeoutMs?: number): Promise<number>;
  /** Polls /health/ready until it answers at all; returns that status (0: no answer within `timeoutMs`). */
  firstAnswer(timeoutMs?: number): Promise<number>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the HTTP service as its own process (`node <args>`) on a loopback port. Always stop() it. */
export function startServer(args: string[], port: number, env: Record<string, string>, cwd?: string): RunningServer {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: scratchDataDir(), ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    async waitReady(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        status = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
      }
      return status;
    },
    async firstAnswer(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let status = 0;
      while (status === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        status = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
      }
      return status;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface WatchedProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** The first match of `pattern` in stderr, as soon as it is written; rejects if the process ends first or after `timeoutMs`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The exit code (null when a signal ended it) and how long the process ran. */
  exited: Promise<{ code: number | null; ms: number }>;
}

/**
 * Runs `node <args>` (a built entry point, or `--import tsx src/…`) with `env` on top of a clean environment,
 * stdout and stderr kept apart and watched as they are written: for tests that act while the process runs
 * (interrupt it at a known step) or that hold stdout to machine output only. Killed after `timeoutMs`.
 */
export function spawnNode(args: string[], env: Record<string, string>, timeoutMs = 60_000): WatchedProcess {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DATA_DIR: scratchDataDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (pattern, waitMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.match(pattern);
          if (!match) return false;
          child.stderr.off('data', check);
          clearTimeout(giveUp);
          resolve(match);
          return true;
        };
        const giveUp = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${waitMs} ms: ${stderr}`)), waitMs);
        void exited.then(() => {
          if (check()) return;
          clearTimeout(giveUp);
          reject(new Error(`exited before ${pattern} on stderr: ${stderr}`));
        });
        if (!check()) child.stderr.on('data', check);
      }),
  };
}
