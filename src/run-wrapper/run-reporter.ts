import { describeOutcome, errorDetails, succeeded, type RunOutcome } from './run-outcome.js';
import type { LedgerClient, Reply } from './ledger-client.js';

export interface RunIdentity {
  executionId: string;
  pipeline: string;
  attempt: number | undefined;
  maxAttempts: number | undefined;
  parentExecutionId: string | undefined;
  inputFile: string | undefined;
  /** The program, for error_details: never its arguments, which may hold secrets. */
  program: string;
}

const gaveUp = (signal: AbortSignal): Promise<Reply> =>
  new Promise((resolve) => {
    const answer = () => resolve({ ok: false, status: undefined, reason: 'no answer in time', retriable: true });
    if (signal.aborted) answer();
    else signal.addEventListener('abort', answer, { once: true });
  });

/**
 * Reports one wrapped run: `POST /v1/executions` as the command starts, then `succeed` or `fail` on
 * `/v1/executions/{id}/events`. The run's id is chosen here, so that a start whose answer was lost can be
 * sent again at the end without making a second run. Nothing here throws or stops the command: a report
 * that fails is one line on stderr, and the same failure is not repeated at the end.
 */
export class RunReporter {
  private started: Promise<Reply> | undefined;
  private startedAt = '';
  private said: string | undefined;

  constructor(
    private readonly client: LedgerClient,
    private readonly run: RunIdentity,
    private readonly warn: (line: string) => void,
  ) {}

  /** What the end of the run may take to report, in all: PIPELINE_LEDGER_TIMEOUT_MS. */
  get timeoutMs(): number {
    return this.client.timeoutMs;
  }

  /** Sends the start without waiting for it: the command starts at once, even against a hung service. */
  start(now: Date): void {
    this.startedAt = now.toISOString();
    this.started = this.client.post('v1/executions', this.createBody()).then((reply) => {
      if (!reply.ok) this.say(`could not report the start of "${this.run.pipeline}" to ${this.client.where} (${reply.reason}); the command runs anyway`, reply.reason);
      return reply;
    });
  }

  /**
   * Reports the end, within `deadline` for everything left to send. A start that failed for a reason that
   * may pass (the service was away) is sent again first, with the start time measured here; one the service
   * refused (a bad key, a bad name) is not, and neither is the end.
   */
  async finish(outcome: RunOutcome, durationMs: number, stderrTail: string, deadline: AbortSignal): Promise<void> {
    const start = await Promise.race([this.started ?? gaveUp(deadline), gaveUp(deadline)]);
    if (!start.ok) {
      if (!start.retriable) return;
      const again = await this.client.post('v1/executions', { ...this.createBody(), started_at: this.startedAt }, deadline);
      // 409: the first start had arrived after all (this body adds started_at): the run exists.
      if (!again.ok && again.status !== 409) return this.endFailed(outcome, again);
    }
    const event = succeeded(outcome) ? { type: 'succeed' } : { type: 'fail', error_details: errorDetails(outcome, durationMs, this.run.program, stderrTail) };
    const end = await this.client.post(`v1/executions/${this.run.executionId}/events`, event, deadline);
    if (!end.ok) this.endFailed(outcome, end);
  }

  private createBody(): Record<string, unknown> {
    const { executionId, pipeline, attempt, maxAttempts, parentExecutionId, inputFile } = this.run;
    const optional = { attempt, max_attempts: maxAttempts, parent_execution_id: parentExecutionId, input_file: inputFile };
    // Only what was given: the service's defaults stand for the rest.
    const given = Object.entries(optional).filter(([, value]) => value !== undefined);
    return { execution_id: executionId, pipeline_name: pipeline, ...Object.fromEntries(given) };
  }

  private endFailed(outcome: RunOutcome, reply: Reply & { ok: false }): void {
    this.say(`could not report the end of "${this.run.pipeline}" (${describeOutcome(outcome)}) to ${this.client.where} (${reply.reason})`, reply.reason);
  }

  /** One line per problem: an unreachable service at the start and again at the end is said once. */
  private say(line: string, reason: string): void {
    if (this.said === reason) return;
    this.said = reason;
    this.warn(line);
  }
}
