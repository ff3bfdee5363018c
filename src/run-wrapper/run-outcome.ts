import { constants } from 'node:os';

/** How a wrapped command ended: its exit code, the signal that ended it, or why it could not start. */
export type RunOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: NodeJS.Signals }
  | { kind: 'not-started'; errno: string | undefined; message: string };

/** A shell's statuses for a command it could not run: not found, and found but not executable. */
export const NOT_FOUND = 127;
export const NOT_EXECUTABLE = 126;

/** The wrapper's exit status: the command's, 128 + the signal's number when a signal ended it (as a shell gives it). */
export function exitStatusOf(outcome: RunOutcome): number {
  if (outcome.kind === 'exited') return outcome.code;
  if (outcome.kind === 'signalled') return 128 + (constants.signals[outcome.signal] ?? 0);
  return outcome.errno === 'ENOENT' ? NOT_FOUND : NOT_EXECUTABLE;
}

export const succeeded = (outcome: RunOutcome) => outcome.kind === 'exited' && outcome.code === 0;

/** What happened, for a person: `exit status 3`, `killed by SIGTERM (exit status 143)`, `command not found`. */
export function describeOutcome(outcome: RunOutcome): string {
  const status = exitStatusOf(outcome);
  if (outcome.kind === 'exited') return `exit status ${status}`;
  if (outcome.kind === 'signalled') return `killed by ${outcome.signal} (exit status ${status})`;
  return `${outcome.errno === 'ENOENT' ? 'command not found' : `could not start: ${outcome.message}`} (exit status ${status})`;
}

/** A failed run's error_details: what happened, how long it ran, then the end of its stderr when it wrote any. */
export function errorDetails(outcome: RunOutcome, durationMs: number, command: string, stderrTail: string): string {
  const head = `${command}: ${describeOutcome(outcome)} after ${(durationMs / 1000).toFixed(1)} s`;
  return stderrTail === '' ? head : `${head}\n--- the end of its stderr ---\n${stderrTail}`;
}
