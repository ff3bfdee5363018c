import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './disposable-postgres.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One HTTP request on a connection of its own (no keep-alive pool), so that "a new connection" means one.
 * Rejects with the socket error (ECONNREFUSED, ECONNRESET, ...) when there is no answer.
 */
export function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const all = payload === undefined ? headers : { 'content-type': 'application/json', ...headers };
    const req = request({ host: '127.0.0.1', port, method, path, headers: all, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface ServiceProcess {
  port: number;
  dataDir: string;
  /** Everything the process wrote to stdout and stderr so far, in order of arrival. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and when it happened. */
  exited: Promise<{ code: number | null; at: number }>;
  /** `Authorization: Bearer <admin key>` when the service wrote an admin key file (API keys are on), else nothing. */
  auth(): Record<string, string>;
  signal(name: NodeJS.Signals): void;
}

/**
 * Starts `node --import tsx src/main.ts` on a free loopback port with `env` (DATA_DIR: a new temporary
 * folder unless given) and waits until /health/ready answers 200. Stop it with signal('SIGTERM').
 */
export async function startService(env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ServiceProcess> {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'pipeline-ledger-svc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const service: ServiceProcess = {
    port,
    dataDir,
    output: () => output,
    exited,
    auth(): Record<string, string> {
      const file = join(dataDir, 'admin-api-key');
      return existsSync(file) ? { authorization: `Bearer ${readFileSync(file, 'utf8').trim()}` } : {};
    },
    signal: (name) => void child.kill(name),
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready:\n${output}`);
    const status = await send(port, 'GET', '/health/ready').then((a) => a.status, () => 0);
    if (status === 200) return service;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service was not ready within ${readyTimeoutMs} ms (last status ${status}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
