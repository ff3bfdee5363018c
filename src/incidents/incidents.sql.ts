import { sql } from 'kysely';
import { isoText, queries } from '../database/typed-sql.js';
import type { MonitorKind, Severity } from './incident-signal.js';
import { incidentObject } from './incident-columns.js';
import { UNRESOLVED, type IncidentStatus, type TimelineType } from './incident-transitions.js';

export interface IncidentFilter {
  statuses: readonly IncidentStatus[];
  pipelineName?: string;
  severity?: Severity;
  kind?: MonitorKind;
  /** The last incident_id of the previous page. */
  before?: string;
  fetch: number;
}

/**
 * A page of incidents, newest first (incident_id is a UUIDv7, so its order is the order they opened, and
 * never changes as incidents re-fire). Served by incidents_unresolved_list_idx (the default), the primary key or
 * (status, incident_id), or (pipeline_name, status, incident_id).
 */
export function listIncidents(f: IncidentFilter) {
  let q = queries
    .selectFrom('incidents as i')
    .select(incidentObject('i').as('row'));
  // All the unresolved statuses: the partial index's own predicate, so the default list uses it.
  const unresolved = UNRESOLVED.every((s) => f.statuses.includes(s)) && !f.statuses.includes('resolved');
  q = unresolved ? q.where('i.status', '<>', 'resolved') : q.where('i.status', 'in', [...f.statuses]);
  if (f.pipelineName !== undefined) q = q.where('i.pipeline_name', '=', f.pipelineName);
  if (f.severity !== undefined) q = q.where('i.severity', '=', f.severity);
  if (f.kind !== undefined) q = q.where('i.kind', '=', f.kind);
  if (f.before !== undefined) q = q.where('i.incident_id', '<', f.before);
  return q.orderBy('i.incident_id', 'desc').limit(f.fetch);
}

export function selectIncident(id: string, forUpdate = false) {
  const q = queries.selectFrom('incidents as i').select(incidentObject('i').as('row')).where('i.incident_id', '=', id);
  return forUpdate ? q.forUpdate() : q;
}

/** An incident's timeline, oldest first, at most `limit` entries (incident_events_timeline_idx). */
export function selectTimeline(id: string, limit: number) {
  return queries
    .selectFrom('incident_events as e')
    .select((eb) => [
      'e.id',
      isoText(eb.ref('e.at')).as('at'),
      'e.type',
      'e.actor_api_key_id',
      'e.actor_user_id',
      'e.details',
    ])
    .where('e.incident_id', '=', id)
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(limit);
}

export function insertTimelineEntry(entry: { incidentId: string; at: string; type: TimelineType; actorApiKeyId: string | null; details: Record<string, unknown> }) {
  return queries.insertInto('incident_events').values({
    incident_id: entry.incidentId,
    at: entry.at,
    type: entry.type,
    actor_api_key_id: entry.actorApiKeyId,
    actor_user_id: null,
    details: JSON.stringify(entry.details),
  });
}

/** Unresolved incidents per pipeline, for the pipelines named (incidents_pipeline_status_idx). */
export function countUnresolvedByPipeline(pipelineNames: string[]) {
  return queries
    .selectFrom('incidents')
    .select(['pipeline_name', (eb) => eb.fn.countAll<string>().as('count')])
    .where('pipeline_name', 'in', pipelineNames)
    .where('status', 'in', [...UNRESOLVED])
    .groupBy('pipeline_name');
}

/**
 * Unresolved incidents of the time-driven kinds, with their subject (the dedupe key after the monitor id):
 * what the tick re-observes so that they can auto-resolve. Served by the unresolved partial index.
 */
export function unresolvedTimeDriven() {
  return queries
    .selectFrom('incidents')
    .select([
      'monitor_id',
      'kind',
      sql<string>`substr(dedupe_key, strpos(dedupe_key, ':') + 1)`.as('subject'),
      'pipeline_name',
      'severity',
    ])
    .where('status', 'in', [...UNRESOLVED])
    .where('monitor_id', 'is not', null)
    .where('kind', 'in', ['freshness', 'duration', 'stalled']);
}

/**
 * The evidence of an incident's current episode: that of its newest `opened` or `reopened` timeline entry (the
 * first firing signal since it was last resolved; the incident's own evidence is the newest re-fire's).
 * One backward probe of incident_events_timeline_idx.
 */
export function episodeEvidence(id: string) {
  return queries
    .selectFrom('incident_events as e')
    .select(sql<Record<string, unknown> | null>`e.details->'evidence'`.as('evidence'))
    .where('e.incident_id', '=', id)
    .where('e.type', 'in', ['opened', 'reopened'])
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(1);
}
