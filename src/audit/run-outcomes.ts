import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionStatus } from './execution-status.js';

/** A run that has just reached a terminal status, as the audit log wrote it. */
export interface FinishedRun {
  executionId: string;
  pipelineName: string;
  status: ExecutionStatus;
}

/**
 * Called inside the transaction that finished the run, so that what it writes (an incident, its outbox
 * row) commits or rolls back with the run's own change.
 */
export type RunOutcomeListener = (em: EntityManager, run: FinishedRun) => Promise<void>;

/**
 * Where other features hear that runs finished (the run_failed monitors): they subscribe when their module
 * starts, so the audit log depends on none of them. With no subscriber, the write path does no extra work.
 */
@Injectable()
export class RunOutcomes {
  private readonly listeners: RunOutcomeListener[] = [];

  subscribe(listener: RunOutcomeListener): void {
    this.listeners.push(listener);
  }

  get watched(): boolean {
    return this.listeners.length > 0;
  }

  async finished(em: EntityManager, run: FinishedRun): Promise<void> {
    for (const listener of this.listeners) await listener(em, run);
  }
}
