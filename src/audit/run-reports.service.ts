import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ExecutionResponse } from './dto/execution.response.js';
import { ParentRootBusyError } from './audit.errors.js';
import { isTerminal, TRANSITIONS, type TransitionType } from './execution-state-machine.js';
import type { ExecutionStatus } from './execution-status.js';
import { RunOutcomes } from './run-outcomes.js';
import {
  DELETE_EXECUTIONS,
  INSERT_REPORTED,
  LOCK_EXECUTION,
  LOCK_PARENT_ROOT,
  MERGE_REPORT,
  WRITTEN_ELSEWHERE,
} from './run-reports.sql.js';

/**
 * A run event reported by another system (an OpenLineage producer) rather than requested through the API:
 * it may arrive late, twice or out of order, so it is merged, never refused (see MERGE_REPORT).
 */
export interface RunReport {
  executionId: string;
  pipelineName: string;
  /** What the event says happened; its target status comes from the state machine. */
  transition: TransitionType;
  /** When it happened (RFC 3339): the start or completion time it brings. */
  at: string;
  rowCounts: Record<string, number>;
  errorDetails: string | null;
  parentExecutionId: string | null;
  /** Producer facets' attempt (Airflow's try number) and how many it will make (max tries); absent: 1 and unknown. */
  attempt?: number;
  maxAttempts?: number | null;
  /** OpenLineage nominalTime's start (RFC 3339): the period the run covers. */
  nominalTime?: string | null;
  /** The run's history entry for this event: its id (one entry per reported event), when it arrived, what it says. */
  entry: { id: string; occurredAt: string; payload: Record<string, unknown> & { source: string } };
}

export interface RunReportResult {
  execution: ExecutionResponse;
  /** false: the run had already ended, so the event only got a `late` history entry. */
  applied: boolean;
}

/**
 * A report that was not applied, and wrote nothing: the run belongs to another pipeline (`owner`), or the
 * parent it names descends from the run (a cycle).
 */
export type RunReportRefusal = { refused: 'other_pipeline'; owner: string } | { refused: 'parent_cycle' };

/** Each attempt after the first follows a commit that moved a root, so few are ever needed. */
const PARENT_ROOT_ATTEMPTS = 10;

/** Executions as other systems report them. Exported by AuditModule for the OpenLineage ingestion. */
@Injectable()
export class RunReportsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(RunOutcomes) private readonly outcomes: RunOutcomes,
  ) {}

  /**
   * Applies one report, or refuses it before writing anything. Must run in a transaction (`em`'s): the
   * execution's row is locked first, so that whether the run was still open when this report arrived is known
   * exactly, and two reports for one run arriving together are applied one after the other, neither lost.
   * The lock also reads the run's pipeline: a report may only update a run of its own pipeline.
   */
  async apply(report: RunReport, em: EntityManager = this.em): Promise<RunReportResult | RunReportRefusal> {
    const status = TRANSITIONS[report.transition].to;
    const completedAt = isTerminal(status) ? report.at : null;
    const run = {
      id: report.executionId,
      status,
      completedAt,
      errorDetails: report.errorDetails,
      rowCounts: JSON.stringify(report.rowCounts),
      parentId: report.parentExecutionId,
      attempt: report.attempt ?? 1,
      maxAttempts: report.maxAttempts ?? null,
      nominalTime: report.nominalTime ?? null,
    };
    const entry = { entryId: report.entry.id, occurredAt: report.entry.occurredAt, payload: JSON.stringify(report.entry.payload) };
    for (;;) {
      const [locked] = await LOCK_EXECUTION.run(em, { id: report.executionId });
      if (locked && locked.pipeline_name !== report.pipelineName) return { refused: 'other_pipeline', owner: locked.pipeline_name };
      if (!locked?.parent_execution_id && (await this.closesCycle(report, em))) return { refused: 'parent_cycle' };
      if (locked) {
        const open = !isTerminal(locked.status);
        const [execution] = await MERGE_REPORT.run(em, { ...run, ...entry, type: open ? report.transition : 'late', at: report.at });
        if (open) await this.announce(em, execution);
        return { execution, applied: open };
      }
      const [created] = await INSERT_REPORTED.run(em, {
        ...run,
        ...entry,
        type: report.transition,
        pipelineName: report.pipelineName,
        startedAt: report.at,
      });
      if (created) {
        await this.announce(em, created);
        return { execution: created, applied: true };
      }
      // A concurrent report created the run first (and has committed): lock it and merge into it.
    }
  }

  /** Tells the subscribers (RunOutcomes) about a run this report finished, in the report's transaction. */
  private async announce(em: EntityManager, execution: ExecutionResponse): Promise<void> {
    if (!this.outcomes.watched || !isTerminal(execution.status as ExecutionStatus)) return;
    await this.outcomes.finished(em, { executionId: execution.execution_id, pipelineName: execution.pipeline_name, status: execution.status as ExecutionStatus });
  }

  /**
   * Whether the report's parent P would make its run X (which has no parent yet) its own ancestor: so it
   * would iff the root of P's tree is X. Only reports giving a run its first parent pay for it, and they lock
   * X (exclusive) and that root (shared: the runs attaching under one root do not wait for each other)
   * (LOCK_PARENT_ROOT), not all reports: a run gets a parent only under its own exclusive lock, and
   * parents never change, so while the root is locked P's chain up to it stays as the walk after the lock
   * saw it (rerun until it names the root already locked). Two reports can only close a cycle together if
   * one's parent lies under the other's run, i.e. one's root is the other's run: both lock that run, so the
   * later one's walk sees the earlier one's link. A root that moved meanwhile is only tried, not waited for
   * (waiting out of key order could deadlock): if it is taken, the transaction starts over (`transactional`).
   */
  private async closesCycle(report: RunReport, em: EntityManager): Promise<boolean> {
    if (report.parentExecutionId === null) return false;
    const params = { id: report.executionId, parentId: report.parentExecutionId };
    let [locked] = await LOCK_PARENT_ROOT({ wait: true }).run(em, params);
    for (;;) {
      const [seen] = await LOCK_PARENT_ROOT({ wait: false }).run(em, params);
      if (!seen.granted) throw new ParentRootBusyError(params.parentId);
      if (seen.root === locked.root) return seen.closes;
      locked = seen;
    }
  }

  /**
   * Runs `work`, which applies reports, in a transaction; again from the start (at most PARENT_ROOT_ATTEMPTS
   * times) when a report found its parent's root moved to a run another transaction holds (closesCycle).
   */
  async transactional<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.em.transactional(work);
      } catch (error) {
        if (!(error instanceof ParentRootBusyError) || attempt >= PARENT_ROOT_ATTEMPTS) throw error;
      }
    }
  }

  /** Of `ids`, the executions that were also written through the API, not only by reports from `source`. */
  async writtenElsewhere(ids: string[], source: string, em: EntityManager = this.em): Promise<string[]> {
    if (ids.length === 0) return [];
    return (await WRITTEN_ELSEWHERE.run(em, { ids, source })).map((r) => r.execution_id);
  }

  /** Deletes executions and their history, to rebuild them from their reports (the lineage replay). */
  async delete(ids: string[], em: EntityManager = this.em): Promise<void> {
    if (ids.length > 0) await DELETE_EXECUTIONS.run(em, { ids });
  }
}
