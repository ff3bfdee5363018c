import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runQuery } from '../database/typed-sql.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { OutboxEntry } from '../outbox/outbox-payloads.js';
import { dedupeKey, type IncidentSignal } from './incident-signal.js';
import { incidentOutbox } from './incident-outbox.js';
import { FLAPPING_WINDOW_MS } from './incident-transitions.js';
import { EXPIRE_SNOOZES, OBSERVE_HEALTHY, RAISE_SEVERITY, REOPEN, UPSERT_FIRING, type SignalRecord } from './incidents-record.sql.js';
import { countUnresolvedByPipeline, unresolvedTimeDriven } from './incidents.sql.js';

/** An unresolved incident of a time-driven monitor, as the tick needs it (the evaluation's OpenSubject). */
export interface OpenSubjectRow {
  monitorId: string;
  kind: 'freshness' | 'duration' | 'stalled';
  subject: string;
  pipelineName: string;
  severity: IncidentSignal['severity'];
}

interface Keyed extends IncidentSignal {
  key: string;
}

/**
 * What monitors hand their evaluations to. Everything runs on the caller's transaction (`em`): the tick's
 * claim, the incident changes and their outbox rows commit or roll back together.
 */
@Injectable()
export class IncidentsService {
  constructor(
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Applies a batch of signals at `now` (the injected clock's time) by the transition table, in at most five
   * statements whatever the batch size: reopen, raise severity, open or re-fire, healthy observations, outbox. A key that
   * appears twice counts once (the last signal wins). Returns the outbox rows written.
   */
  async record(em: EntityManager, signals: readonly IncidentSignal[], now: Date): Promise<OutboxEntry[]> {
    const byKey = new Map<string, Keyed>();
    for (const signal of signals) byKey.set(dedupeKey(signal), { ...signal, key: dedupeKey(signal) });
    const all = [...byKey.values()];
    const firing = all.filter((s) => s.firing);
    const healthy = all.filter((s) => !s.firing);
    const at = now.toISOString();
    const entries: OutboxEntry[] = [];
    const reopenedKeys = new Set<string>();
    if (firing.length > 0) {
      const reopened = await REOPEN.run(em, {
        now: at,
        signals: recordsOf(firing),
        windowMs: this.config.incidents.reopenWindowMs,
        flapWindowMs: FLAPPING_WINDOW_MS,
      });
      for (const { became_flapping, ...row } of reopened) {
        reopenedKeys.add(row.dedupe_key);
        entries.push(incidentOutbox('incident.reopened', row, now));
        if (became_flapping) entries.push(incidentOutbox('incident.flapping', row, now));
      }
      const rest = firing.filter((s) => !reopenedKeys.has(s.key));
      if (rest.length > 0) {
        const signals = recordsOf(rest);
        const critical = rest.filter((s) => s.severity === 'critical');
        const raised = critical.length > 0 ? await RAISE_SEVERITY.run(em, { now: at, signals: recordsOf(critical) }) : [];
        for (const row of raised) entries.push(incidentOutbox('incident.severity_raised', row, now));
        for (const row of await UPSERT_FIRING.run(em, { now: at, signals })) entries.push(incidentOutbox('incident.opened', row, now));
      }
    }
    if (healthy.length > 0) {
      const resolved = await OBSERVE_HEALTHY.run(em, { now: at, signals: recordsOf(healthy) });
      for (const row of resolved) entries.push(incidentOutbox('incident.resolved', row, now));
    }
    await this.outbox.append(em, entries);
    return entries;
  }

  /** Snoozes that ran out by `now`: open again if the condition still held, else resolved. For the tick. */
  async expireSnoozes(em: EntityManager, now: Date): Promise<OutboxEntry[]> {
    const rows = await EXPIRE_SNOOZES.run(em, { now: now.toISOString() });
    const entries = rows.map((row) => incidentOutbox(row.status === 'open' ? 'incident.snooze_expired' : 'incident.resolved', row, now));
    await this.outbox.append(em, entries);
    return entries;
  }

  /** The unresolved incidents of time-driven monitors (SignalSink.openSubjects): the tick observes their subjects again. */
  async openSubjects(em: EntityManager): Promise<OpenSubjectRow[]> {
    const rows = await runQuery(em, unresolvedTimeDriven());
    return rows.map((r) => ({ monitorId: r.monitor_id as string, kind: r.kind as OpenSubjectRow['kind'], subject: r.subject, pipelineName: r.pipeline_name, severity: r.severity }));
  }

  /** Unresolved incidents per pipeline, for the named pipelines (the pipelines list's open incident count). */
  async countOpenByPipeline(em: EntityManager, pipelineNames: readonly string[]): Promise<Map<string, number>> {
    if (pipelineNames.length === 0) return new Map();
    const rows = await runQuery(em, countUnresolvedByPipeline([...pipelineNames]));
    return new Map(rows.map((row) => [row.pipeline_name, Number(row.count)]));
  }
}

const resolveAfterOf = (signal: IncidentSignal) => Math.min(100, Math.max(1, Math.trunc(signal.resolveAfter ?? 1)));

/** The batch as the statements read it; each gets a UUIDv7 in case it opens an incident. */
function recordsOf(signals: readonly Keyed[]): string {
  const records: SignalRecord[] = signals.map((s) => ({
    incident_id: uuidV7(),
    dedupe_key: s.key,
    monitor_id: s.monitorId,
    pipeline_name: s.pipelineName,
    dataset_namespace: s.dataset?.namespace ?? null,
    dataset_name: s.dataset?.name ?? null,
    column_name: s.dataset?.column ?? null,
    kind: s.kind,
    severity: s.severity,
    evidence: s.evidence,
    resolve_after: resolveAfterOf(s),
  }));
  return JSON.stringify(records);
}
