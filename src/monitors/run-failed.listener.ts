import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { RunOutcomes, type FinishedRun } from '../audit/run-outcomes.js';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { runQuery } from '../database/typed-sql.js';
import type { IncidentSignal } from '../incidents/incident-signal.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { CLOCK, type Clock } from '../jobs/clock.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { OUTBOX_SCHEMA_VERSION, type OutboxPayload } from '../outbox/outbox-payloads.js';
import { defaultRunFailedApplies } from './monitor-defaults.sql.js';
import { ARCHIVED, FAILED_RUN_CONTEXT, OPEN_RUN_FAILED, SUCCEEDED_RUN, runFailedMonitors, type FailedRunContext } from './run-failed.sql.js';

/**
 * The event-driven run_failed monitor (docs/monitors.md#run_failed): it runs in the transaction that
 * finished the run, so the incident and its outbox rows commit with the run.
 * - A failed attempt that will be retried (attempt < max_attempts) opens nothing.
 * - A final failure folds into its root run (the top-most recorded run above it): one incident per root
 *   pipeline and monitor, listing the root's failed children; a second failure while it is open re-fires it.
 * - A successful top-level run is a healthy observation for its pipeline's open run_failed incidents, when
 *   it covers the failed run's period or a later one (a backfill of an older period heals nothing).
 * Archived pipelines fire nothing.
 */
@Injectable()
export class RunFailedListener implements OnModuleInit {
  constructor(
    @Inject(RunOutcomes) private readonly outcomes: RunOutcomes,
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.outcomes.subscribe((em, run) => this.finished(em, run));
  }

  async finished(em: EntityManager, run: FinishedRun): Promise<void> {
    if (run.status === 'failed') await this.failed(em, run.executionId);
    else if (run.status === 'succeeded') await this.succeeded(em, run.executionId, run.pipelineName);
  }

  private async failed(em: EntityManager, executionId: string): Promise<void> {
    const [run] = await FAILED_RUN_CONTEXT.run(em, { id: executionId });
    if (!run || (run.max_attempts !== null && run.attempt < run.max_attempts)) return;
    const now = this.clock.now();
    await this.outbox.append(em, [
      { aggregateType: 'execution', aggregateId: run.execution_id, eventType: 'run.failed', payload: runFailedPayload(run), at: now },
    ]);
    const applies = defaultRunFailedApplies(sql.val(run.root_pipeline), this.config.monitorDefaults.runFailed);
    const monitors = await runQuery(em, runFailedMonitors(run.root_pipeline, applies));
    if (monitors.length === 0 || (await this.archived(em, run.root_pipeline))) return;
    const evidence = incidentEvidence(run);
    const signals: IncidentSignal[] = monitors.map((m) => ({
      monitorId: m.id,
      kind: 'run_failed',
      severity: m.severity,
      pipelineName: run.root_pipeline,
      subject: run.root_pipeline,
      firing: true,
      evidence,
      resolveAfter: m.resolve_after,
    }));
    await this.incidents.record(em, signals, now);
  }

  private async succeeded(em: EntityManager, executionId: string, pipelineName: string): Promise<void> {
    const open = await OPEN_RUN_FAILED.run(em, { pipeline: pipelineName });
    if (open.length === 0) return;
    const [run] = await SUCCEEDED_RUN.run(em, { id: executionId });
    if (!run?.top_level) return;
    // A backfill of an earlier period says nothing about the failure of a later one.
    const covered = new Date(run.covered).getTime();
    const healed = open.filter((i) => i.covered === null || new Date(i.covered).getTime() <= covered);
    if (healed.length === 0) return;
    const evidence = { execution_id: executionId, pipeline_name: pipelineName, succeeded: true, covered: new Date(run.covered).toISOString() };
    const signals: IncidentSignal[] = healed.map((i) => ({
      monitorId: i.monitor_id,
      kind: 'run_failed',
      severity: i.severity,
      pipelineName,
      subject: pipelineName,
      firing: false,
      evidence,
      resolveAfter: i.resolve_after,
    }));
    await this.incidents.record(em, signals, this.clock.now());
  }

  private async archived(em: EntityManager, pipeline: string): Promise<boolean> {
    const [row] = await ARCHIVED.run(em, { pipeline });
    return row !== undefined;
  }
}

function runFailedPayload(run: FailedRunContext): OutboxPayload {
  return {
    schema_version: OUTBOX_SCHEMA_VERSION,
    execution_id: run.execution_id,
    pipeline_name: run.pipeline_name,
    attempt: run.attempt,
    max_attempts: run.max_attempts,
    error: run.error_details?.slice(0, 2000) ?? null,
    root_execution_id: run.root_id,
    root_pipeline_name: run.root_pipeline,
  };
}

function incidentEvidence(run: FailedRunContext): Record<string, unknown> {
  return {
    execution_id: run.root_id,
    pipeline_name: run.root_pipeline,
    run_started_at: new Date(run.root_started_at).toISOString(),
    covered: new Date(run.root_covered).toISOString(),
    failed_run: { execution_id: run.execution_id, pipeline_name: run.pipeline_name, attempt: run.attempt, error: run.error_details?.slice(0, 2000) ?? null },
    failed_children: run.failed_children,
    failed_children_count: run.failed_children_count,
  };
}
