import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { DURATION_OVER, RUN_STATES, STALLED } from './runs.sql.js';
import { healthyFor, unsignalled, type OpenSubject } from './signal-sink.js';

const iso = (at: string | null) => (at ? new Date(at).toISOString() : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Running runs over their duration limit (subject: the execution id). */
export async function durationSignals(em: EntityManager, now: Date): Promise<IncidentSignal[]> {
  const rows = await DURATION_OVER.run(em, { now });
  return rows.map((r) => ({
    monitorId: r.monitor_id,
    kind: 'duration',
    severity: r.severity,
    pipelineName: r.pipeline_name,
    subject: r.execution_id,
    firing: true,
    evidence: {
      execution_id: r.execution_id,
      started_at: iso(r.started_at),
      elapsed_ms: Math.round(r.elapsed_ms),
      limit_ms: Math.round(r.limit_ms),
      limit_from: r.max_duration
        ? { max_duration: r.max_duration }
        : { factor: r.factor, p95_ms: r.p95_ms === null ? null : Math.round(r.p95_ms), of_successful_runs: r.successes, runs: r.runs },
    },
  }));
}

/** Running runs without an event for stall_after (subject: the execution id). */
export async function stalledSignals(em: EntityManager, now: Date): Promise<IncidentSignal[]> {
  const rows = await STALLED.run(em, { now });
  return rows.map((r) => ({
    monitorId: r.monitor_id,
    kind: 'stalled',
    severity: r.severity,
    pipelineName: r.pipeline_name,
    subject: r.execution_id,
    firing: true,
    evidence: { execution_id: r.execution_id, started_at: iso(r.started_at), last_event_at: iso(r.last_event_at), last_activity_at: iso(r.last_activity), stall_after: r.stall_after },
  }));
}

/**
 * Healthy observations for the open duration/stalled incidents that did not fire this tick: the run
 * finished, progressed, or is back within its limit. The evidence says where the run is now.
 */
export async function recoveredRuns(em: EntityManager, open: readonly OpenSubject[], fired: readonly IncidentSignal[]): Promise<IncidentSignal[]> {
  const quiet = unsignalled(open, fired).filter((o) => o.kind === 'duration' || o.kind === 'stalled');
  if (quiet.length === 0) return [];
  const ids = [...new Set(quiet.map((o) => o.subject).filter((id) => UUID.test(id)))];
  const states = new Map((await RUN_STATES.run(em, { ids })).map((r) => [r.execution_id, r]));
  return quiet.map((o) => {
    const run = states.get(o.subject);
    return healthyFor(o, { execution_id: o.subject, status: run?.status ?? 'unknown', completed_at: iso(run?.completed_at ?? null) });
  });
}
