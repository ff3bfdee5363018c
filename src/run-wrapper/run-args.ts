// The `run` command's arguments and help, for the command line's parser: the wrapper itself (run.command.ts)
// is loaded only when it runs.
import { UsageError } from '../common/usage.error.js';

export interface RunArgs {
  pipeline: string;
  command: string[];
  attempt: number | undefined;
  inputFile: string | undefined;
}

export const RUN_HELP = `
The command runs with stdin and stdout as they are; its stderr is shown as it comes and its last lines
(at most 20, 4 KB) go into a failed run's error_details. Signals (INT, TERM, HUP, QUIT, USR2) are passed
on to it. The wrapper exits with the command's status (128 + the signal's number if a signal ended it,
127 if the command is not found), whatever the service answers: if it is unreachable or refuses the
report, the command still runs and one line on stderr says so. The command gets
PIPELINE_LEDGER_EXECUTION_ID, the run's id (for metrics it posts about itself).

Environment: PIPELINE_LEDGER_URL (the service), PIPELINE_LEDGER_API_KEY (a key with the ingest scope),
PIPELINE_LEDGER_TIMEOUT_MS (each request, default 5000).

Example (crontab):
  15 2 * * *  pipeline-ledger run --pipeline nightly_orders -- /opt/etl/load-orders.sh --full

More: docs/run-wrapper.md
`;

const MAX_ATTEMPT = 1000;

/** The arguments as given, checked before anything runs: a bad one is a usage error (exit 2). */
export function checkRunArgs(o: { pipeline: string; attempt?: string; inputFile?: string }, command: string[]): RunArgs {
  if (o.pipeline.trim() === '') throw new UsageError('run needs --pipeline NAME');
  if (command.length === 0 || command[0] === '') throw new UsageError('run needs a command: run --pipeline NAME -- COMMAND [ARGS...]');
  let attempt: number | undefined;
  if (o.attempt !== undefined) {
    attempt = /^\d+$/.test(o.attempt) ? Number(o.attempt) : Number.NaN;
    if (!(attempt >= 1 && attempt <= MAX_ATTEMPT)) throw new UsageError(`--attempt must be an integer from 1 to ${MAX_ATTEMPT}`);
  }
  return { pipeline: o.pipeline, command, attempt, inputFile: o.inputFile };
}

