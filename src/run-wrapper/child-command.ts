import { spawn, type ChildProcess } from 'node:child_process';
import type { RunOutcome } from './run-outcome.js';

/**
 * After the command exits, how long its stderr may take to be read to the end. A process it left running
 * in the background (`daemon &`) may hold the pipe open for ever: the wrapper does not wait for it.
 */
const STDERR_DRAIN_MS = 200;

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface RunningChild {
  /** Resolves once the command has ended, whatever ended it; never rejects. */
  outcome: Promise<RunOutcome>;
  /** Sends the signal to the command if it still runs; false if it does not. */
  signal(signal: NodeJS.Signals): boolean;
}

/**
 * Runs the command as a shell would (PATH lookup, no shell in between), with stdin and stdout inherited as
 * they are and stderr through a pipe: written on to ours unchanged (with its back-pressure) and given to
 * `onStderr` too.
 */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, onStderr: (chunk: Buffer) => void): RunningChild {
  let child: ChildProcess | undefined;
  const outcome = new Promise<RunOutcome>((resolve) => {
    try {
      child = spawn(command, args, { stdio: ['inherit', 'inherit', 'pipe'], env });
    } catch (error) {
      // Refused before any process exists (a NUL byte in an argument).
      return resolve({ kind: 'not-started', errno: errnoOf(error), message: messageOf(error) });
    }
    watch(child, onStderr, resolve);
  });
  const running = (c: ChildProcess | undefined): c is ChildProcess => c?.pid !== undefined && c.exitCode === null && c.signalCode === null;
  return { outcome, signal: (signal) => running(child) && child.kill(signal) };
}

function watch(child: ChildProcess, onStderr: (chunk: Buffer) => void, resolve: (outcome: RunOutcome) => void): void {
  const stderr = child.stderr as NonNullable<ChildProcess['stderr']>;
  stderr.on('data', onStderr);
  stderr.pipe(process.stderr, { end: false });
  const drained = new Promise<void>((done) => stderr.once('close', done));
  child.once('error', (error) => {
    // After a successful start, 'error' means a failed kill: the exit still comes.
    if (child.pid === undefined) resolve({ kind: 'not-started', errno: errnoOf(error), message: messageOf(error) });
  });
  child.once('exit', (code, signal) => {
    const outcome: RunOutcome = signal ? { kind: 'signalled', signal } : { kind: 'exited', code: code ?? 0 };
    const grace = new Promise<void>((done) => setTimeout(done, STDERR_DRAIN_MS).unref());
    void Promise.race([drained, grace]).then(() => resolve(outcome));
  });
}
