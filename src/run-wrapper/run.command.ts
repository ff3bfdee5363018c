import { commandEnvironment, loadClientConfig } from '../config/client.config.js';
import { ConfigError } from '../config/env-parsers.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { runChild } from './child-command.js';
import { LedgerClient } from './ledger-client.js';
import { describeOutcome, exitStatusOf, type RunOutcome } from './run-outcome.js';
import { RunReporter } from './run-reporter.js';
import { StderrTail } from './stderr-tail.js';
import type { RunArgs } from './run-args.js';

/** Signals that reach the wrapper: passed on to the command while it runs; afterwards they end the wrapper. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const;

const warn = (line: string) => void process.stderr.write(`pipeline-ledger run: ${line}\n`);

/** The reporter, or none (said once on stderr) when the environment does not say where the service is. */
function reporterFor(args: RunArgs, executionId: string): RunReporter | undefined {
  try {
    const client = new LedgerClient(loadClientConfig());
    const { pipeline, attempt, maxAttempts, parentExecutionId, inputFile } = args;
    return new RunReporter(client, { executionId, pipeline, attempt, maxAttempts, parentExecutionId, inputFile, program: args.command[0] }, warn);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    warn(`not reporting to Pipeline Ledger: ${error.problems.join('; ')}; the command runs anyway`);
    return undefined;
  }
}

/**
 * `run`: runs the command and reports it as a run of the pipeline; resolves to the command's exit status.
 * After the command has ended, the report gets PIPELINE_LEDGER_TIMEOUT_MS in all, and a signal ends the
 * wrapper at once (with the command's status): a hung service never holds a job up for long.
 */
export async function runWrapped(args: RunArgs): Promise<number> {
  const executionId = uuidV7();
  const reporter = reporterFor(args, executionId);
  const tail = new StderrTail();
  const [program, ...rest] = args.command;
  const began = performance.now();
  reporter?.start(new Date());
  const child = runChild(program, rest, commandEnvironment({ PIPELINE_LEDGER_EXECUTION_ID: executionId }), (chunk) => tail.push(chunk));
  let ended: RunOutcome | undefined;
  const stopReporting = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // Passed on while the command runs; once it has ended (or never started), the wrapper stops reporting.
    if (ended !== undefined || !child.signal(signal)) stopReporting.abort();
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);
  try {
    ended = await child.outcome;
    const durationMs = performance.now() - began;
    if (ended.kind === 'not-started') warn(`${program}: ${describeOutcome(ended)}`);
    const deadline = AbortSignal.any([AbortSignal.timeout(reporter?.timeoutMs ?? 0), stopReporting.signal]);
    await reporter?.finish(ended, durationMs, tail.text(), deadline);
    return exitStatusOf(ended);
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
  }
}
