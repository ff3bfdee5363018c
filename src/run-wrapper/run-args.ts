// The `run` command's arguments and help, for the command line's parser: the wrapper itself (run.command.ts)
// is loaded only when it runs.
import { UsageError } from '../common/usage.error.js';

export interface RunArgs {
  pipeline: string;
  command: string[];
  attempt: number | undefined;
  /** How many attempts will be made: the service fires run_failed only when a failed attempt is the last. */
  maxAttempts: number | undefined;
  parentExecutionId: string | undefined;
  inputFile: string | undefined;
}

/** The options as the command line gives them, unchecked. */
export interface RunOptions {
  pipeline: string;
  attempt?: string;
  maxAttempts?: string;
  parentExecutionId?: string;
  inputFile?: string;
}

export const RUN_HELP = `
The command runs with stdin and stdout as they are; its stderr is shown as it comes and its last lines
(at most 20, 4 KB) go into a failed run's error_details. Signals (INT, TERM, HUP, QUIT, USR2) are passed
on to it. The wrapper exits with the command's status (128 + the signal's number if a signal ended it,
127 if the command is not found), whatever the service answers: if it is unreachable or refuses the
report, the command still runs and one line on stderr says so. The command gets
PIPELINE_LEDGER_EXECUTION_ID, the run's id (for metrics it posts about itself), and not
PIPELINE_LEDGER_API_KEY (the wrapper's key is removed from its environment).

Environment: PIPELINE_LEDGER_URL (the service), PIPELINE_LEDGER_API_KEY (a key with the ingest scope),
PIPELINE_LEDGER_TIMEOUT_MS (each request, default 5000).

Example (crontab):
  15 2 * * *  pipeline-ledger run --pipeline nightly_orders -- /opt/etl/load-orders.sh --full
A job that retries itself (run_failed fires only when the last attempt fails):
  for n in 1 2 3; do pipeline-ledger run --pipeline export_crm --attempt $n --max-attempts 3 -- /opt/etl/export.sh && break; sleep 60; done

More: docs/run-wrapper.md
`;

// The same bounds as POST /v1/executions (create-execution.dto.ts), so a bad value never reaches the service.
const MAX_ATTEMPT = 1000;
const MAX_ATTEMPTS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function integerOption(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw new UsageError(`${name} must be an integer from 1 to ${max}`);
  return n;
}

/** The arguments as given, checked before anything runs: a bad one is a usage error (exit 2). */
export function checkRunArgs(o: RunOptions, command: string[]): RunArgs {
  if (o.pipeline.trim() === '') throw new UsageError('run needs --pipeline NAME');
  if (command.length === 0 || command[0] === '') throw new UsageError('run needs a command: run --pipeline NAME -- COMMAND [ARGS...]');
  const attempt = integerOption(o.attempt, '--attempt', MAX_ATTEMPT);
  const maxAttempts = integerOption(o.maxAttempts, '--max-attempts', MAX_ATTEMPTS);
  if (maxAttempts !== undefined && maxAttempts < (attempt ?? 1)) throw new UsageError('--max-attempts must be at least --attempt');
  if (o.parentExecutionId !== undefined && !UUID.test(o.parentExecutionId)) throw new UsageError('--parent-execution-id must be a UUID');
  return { pipeline: o.pipeline, command, attempt, maxAttempts, parentExecutionId: o.parentExecutionId, inputFile: o.inputFile };
}
