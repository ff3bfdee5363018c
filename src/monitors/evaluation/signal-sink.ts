import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal, MonitorKind, Severity } from '../../incidents/incident-signal.js';

/**
 * Where the tick hands its signals: the incidents module (IncidentsService.record), bound to SIGNAL_SINK
 * when MonitorsEvaluationModule is registered. `record` runs in the tick's transaction (`em`), so the
 * incident changes, their outbox rows and the claimed slot commit together or not at all.
 */
export interface SignalSink {
  record(em: EntityManager, signals: readonly IncidentSignal[], now: Date): Promise<unknown>;
  /**
   * The incidents currently open (not resolved) for the time-driven kinds: the evaluation also looks at
   * these subjects, so that a run that finished or a pipeline that caught up is observed healthy and its
   * incident can auto-resolve. Optional: without it only the subjects evaluated anyway get healthy signals.
   */
  openSubjects?(em: EntityManager): Promise<readonly OpenSubject[]>;
  /** Ends the snoozes that ran out by `now` (back to open, or resolved), in the tick's transaction. */
  expireSnoozes?(em: EntityManager, now: Date): Promise<unknown>;
}

export const SIGNAL_SINK = Symbol('SIGNAL_SINK');

/**
 * One open incident of a time-driven monitor, as the incidents module knows it: its monitor, kind and
 * subject (freshness: the pipeline name; duration and stalled: the execution id).
 */
export interface OpenSubject {
  monitorId: string;
  kind: Extract<MonitorKind, 'freshness' | 'duration' | 'stalled'>;
  subject: string;
  /** As on the incident: the healthy signal carries them back unchanged. */
  pipelineName: string;
  severity: Severity;
}

/** The open subjects that got no signal among `signalled` (any signal, firing or healthy). */
export function unsignalled(open: readonly OpenSubject[], signalled: readonly IncidentSignal[]): OpenSubject[] {
  const seen = new Set(signalled.map((s) => `${s.monitorId}:${s.subject}`));
  return open.filter((o) => !seen.has(`${o.monitorId}:${o.subject}`));
}

/** A healthy observation of an open subject: monitor, kind, severity and pipeline go back as the incident has them. */
export function healthyFor(o: OpenSubject, evidence: Record<string, unknown>): IncidentSignal {
  return { monitorId: o.monitorId, kind: o.kind, severity: o.severity, pipelineName: o.pipelineName, subject: o.subject, firing: false, evidence };
}
