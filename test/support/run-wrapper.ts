import { existsSync } from 'node:fs';
import { spawnNode, type WatchedProcess } from './spawn.js';

/** The built `run` wrapper (`npm run build` first), as cron runs it: `node dist/cli.js run <args>` with `env`. */
export function wrapper(args: string[], env: Record<string, string>): WatchedProcess {
  if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  return spawnNode(['dist/cli.js', 'run', ...args], env, 30_000);
}

/** Waits for the wrapper to exit: its status, how long it ran, and what it wrote. */
export const finished = async (run: WatchedProcess) => ({ ...(await run.exited), stdout: run.stdout(), stderr: run.stderr() });
