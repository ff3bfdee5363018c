import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { assertReportedTimes } from '../common/time-bounds.js';
import { decodeCursor, encodeCursor, equals, isUtcTimestamp, isUuid } from '../common/cursor.js';
import { runQuery } from '../database/typed-sql.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { ExecutionNotFoundError, IllegalTransitionError, InvalidTransitionInputError } from './audit.errors.js';
import type { ExecutionEventDto } from './dto/execution-event.dto.js';
import type { ExecutionEventResponse, ExecutionResponse } from './dto/execution.response.js';
import type { ListEventsQuery } from './dto/execution-params.js';
import { canApply, isRepeatOfTerminal, isTerminal, TRANSITIONS } from './execution-state-machine.js';
import { ExecutionStatus } from './execution-status.js';
import { RunOutcomes } from './run-outcomes.js';
import { APPLY_TRANSITION, listEvents, SELECT_EXECUTION, SELECT_EXECUTION_WITH_TERMINAL_EVENT } from './executions.sql.js';

export interface TransitionResult {
  execution: ExecutionResponse;
  /** false when the request repeated the terminal transition that already happened: nothing changed. */
  applied: boolean;
}

export interface EventPage {
  data: ExecutionEventResponse[];
  next_cursor: string | null;
}

@Injectable()
export class TransitionsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RunOutcomes) private readonly outcomes: RunOutcomes,
  ) {}

  /**
   * Applies one transition atomically with its history entry (see APPLY_TRANSITION for concurrency).
   * When nothing was updated, works out why; if the status moved on meanwhile so that the transition now
   * applies, it tries again.
   */
  async apply(id: string, event: ExecutionEventDto): Promise<TransitionResult> {
    const rule = TRANSITIONS[event.type];
    if (!this.outcomes.watched || !isTerminal(rule.to)) return (await this.applyIn(this.em, id, event)).result;
    // A failure is announced in its own transaction: the incident and its outbox rows commit with it.
    if (rule.to === ExecutionStatus.Failed) {
      return this.em.transactional(async (em) => {
        const { result } = await this.applyIn(em, id, event);
        if (result.applied) await this.outcomes.finished(em, finishedRun(result.execution));
        return result;
      });
    }
    // A success or cancellation stays one statement; a success that may heal an open run_failed incident
    // then records that observation in a transaction of its own (losing it to a crash in between leaves the
    // incident open until the next success).
    const { result, hasOpenRunFailed } = await this.applyIn(this.em, id, event);
    if (result.applied && hasOpenRunFailed) await this.em.transactional((em) => this.outcomes.finished(em, finishedRun(result.execution)));
    return result;
  }

  private async applyIn(em: EntityManager, id: string, event: ExecutionEventDto): Promise<{ result: TransitionResult; hasOpenRunFailed: boolean }> {
    const { type, ...payload } = event;
    const rule = TRANSITIONS[type];
    assertReportedTimes({ '/completed_at': event.completed_at }, Date.now(), this.config.metrics.maxFutureSkewMs);
    const completedAt = event.completed_at ?? null;
    for (let attempt = 1; ; attempt++) {
      const rows = await APPLY_TRANSITION.run(em, {
        id,
        to: rule.to,
        from: rule.from,
        terminal: isTerminal(rule.to),
        completedAt,
        errorDetails: event.error_details ?? null,
        rowCounts: JSON.stringify(event.row_counts ?? {}),
        entryId: uuidV7(),
        type,
        payload: JSON.stringify(payload),
      });
      if (rows.length === 1) {
        const { has_open_run_failed: hasOpenRunFailed, ...execution } = rows[0];
        return { result: { execution, applied: true }, hasOpenRunFailed };
      }
      const [row] = await SELECT_EXECUTION_WITH_TERMINAL_EVENT.run(em, { id, completedAt });
      if (!row) throw new ExecutionNotFoundError(id);
      const { terminal_event: terminal, completes_before_start: tooEarly, ...execution } = row;
      const status = execution.status as ExecutionStatus;
      if (isRepeatOfTerminal(type, status, payload, terminal ?? undefined)) return { result: { execution, applied: false }, hasOpenRunFailed: false };
      if (!canApply(type, status) || attempt === 3) throw new IllegalTransitionError(type, status);
      if (tooEarly) {
        throw new InvalidTransitionInputError(`completed_at ${completedAt} is before the execution's started_at ${execution.started_at}`);
      }
    }
  }

  async events(id: string, query: ListEventsQuery): Promise<EventPage> {
    const limit = query.limit ?? 100;
    // The cursor names its execution, so it cannot be replayed against another one.
    const cursor = query.cursor ? decodeCursor(query.cursor, { e: equals(id), t: isUtcTimestamp, i: isUuid }) : undefined;
    const rows = await runQuery(this.em, listEvents(id, limit, cursor && { occurredAt: cursor.t, id: cursor.i }));
    if (rows.length === 0) {
      const [exists] = await SELECT_EXECUTION.run(this.em, { id });
      if (!exists) throw new ExecutionNotFoundError(id);
    }
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, next_cursor: rows.length > limit ? encodeCursor({ e: id, t: last.occurred_at, i: last.event_id }) : null };
  }
}

const finishedRun = (execution: ExecutionResponse) => ({
  executionId: execution.execution_id,
  pipelineName: execution.pipeline_name,
  status: execution.status as ExecutionStatus,
});
