/**
 * The incident lifecycle, in one place: every state × event, what it becomes, what the timeline records
 * and which outbox event announces it. docs/incidents.md shows the same table (a spec checks they agree);
 * the set-based SQL in incidents.sql.ts and the manual actions both follow it.
 */
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'snoozed', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * fire: the monitor's condition holds. healthy: the resolve_after-th consecutive healthy observation (the
 * ones before only count the streak). snooze_expires_firing / _healthy: the snooze ran out and the last
 * observation was firing (healthy_streak = 0) / healthy. The others are the manual actions of the API.
 */
export const INCIDENT_EVENTS = ['fire', 'healthy', 'acknowledge', 'snooze', 'snooze_expires_firing', 'snooze_expires_healthy', 'resolve', 'reopen'] as const;
export type IncidentEvent = (typeof INCIDENT_EVENTS)[number];
export const MANUAL_ACTIONS = ['acknowledge', 'snooze', 'resolve', 'reopen'] as const;
export type ManualAction = (typeof MANUAL_ACTIONS)[number];

/** What the timeline (incident_events.type) records. */
export const TIMELINE_TYPES = [
  'opened', 'refired', 'acknowledged', 'snoozed', 'snooze_expired', 'resolved', 'auto_resolved', 'reopened', 'flapping', 'severity_raised',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** The outbox events incidents announce (docs/outbox.md). */
export const INCIDENT_OUTBOX_TYPES = [
  'incident.opened', 'incident.acknowledged', 'incident.snoozed', 'incident.snooze_expired', 'incident.resolved', 'incident.reopened',
  'incident.flapping', 'incident.severity_raised',
] as const;
export type IncidentOutboxType = (typeof INCIDENT_OUTBOX_TYPES)[number];

export type Cell =
  /** The incident moves to `to` (possibly the same state); `record` goes to the timeline, `notify` to the outbox. */
  | { kind: 'change'; to: IncidentStatus; record: TimelineType | null; notify: IncidentOutboxType | null; note?: string }
  /** Nothing changes and nothing is written; a manual action answers 200 with the incident as it is. */
  | { kind: 'noop' }
  /** A manual action that does not apply: 409 INCIDENTS.ILLEGAL_TRANSITION, nothing written. */
  | { kind: 'refused' }
  /** Cannot happen (nothing is snoozed, nothing is open to observe healthy). */
  | { kind: 'none' };

const change = (to: IncidentStatus, record: TimelineType | null, notify: IncidentOutboxType | null, note?: string): Cell =>
  note === undefined ? { kind: 'change', to, record, notify } : { kind: 'change', to, record, notify, note };
const noop: Cell = { kind: 'noop' };
const refused: Cell = { kind: 'refused' };
const none: Cell = { kind: 'none' };

const REFIRE = 'occurrences++, last_seen_at; a higher severity is raised (severity_raised, notified)';

export const TRANSITIONS: Record<IncidentStatus, Record<IncidentEvent, Cell>> = {
  open: {
    fire: change('open', null, null, REFIRE),
    healthy: change('resolved', 'auto_resolved', 'incident.resolved'),
    acknowledge: change('acknowledged', 'acknowledged', 'incident.acknowledged'),
    snooze: change('snoozed', 'snoozed', 'incident.snoozed'),
    snooze_expires_firing: none,
    snooze_expires_healthy: none,
    resolve: change('resolved', 'resolved', 'incident.resolved'),
    reopen: refused,
  },
  acknowledged: {
    fire: change('acknowledged', null, null, REFIRE),
    healthy: change('resolved', 'auto_resolved', 'incident.resolved'),
    acknowledge: noop,
    snooze: change('snoozed', 'snoozed', 'incident.snoozed'),
    snooze_expires_firing: none,
    snooze_expires_healthy: none,
    resolve: change('resolved', 'resolved', 'incident.resolved'),
    reopen: change('open', 'reopened', 'incident.reopened', 'un-acknowledges'),
  },
  snoozed: {
    fire: change('snoozed', null, null, REFIRE),
    healthy: change('resolved', 'auto_resolved', 'incident.resolved'),
    acknowledge: change('acknowledged', 'acknowledged', 'incident.acknowledged', 'ends the snooze'),
    snooze: change('snoozed', 'snoozed', 'incident.snoozed', 'a new until'),
    snooze_expires_firing: change('open', 'snooze_expired', 'incident.snooze_expired'),
    snooze_expires_healthy: change('resolved', 'snooze_expired', 'incident.resolved'),
    resolve: change('resolved', 'resolved', 'incident.resolved'),
    reopen: change('open', 'reopened', 'incident.reopened', 'ends the snooze'),
  },
  resolved: {
    fire: change('open', 'reopened', 'incident.reopened', 'within reopen_window of resolved_at, reopen_count++; later: a new incident (opened)'),
    healthy: none,
    acknowledge: refused,
    snooze: refused,
    snooze_expires_firing: none,
    snooze_expires_healthy: none,
    resolve: noop,
    reopen: change('open', 'reopened', 'incident.reopened', 'reopen_count++; 409 when a newer incident of the same problem is open'),
  },
};

/** A fire with no incident open (and none resolved within the window) opens a new one. */
export const NEW_INCIDENT = change('open', 'opened', 'incident.opened');

/** Reopens (resolved → open) within FLAPPING_WINDOW_MS that mark an incident flapping, the event once. */
export const FLAPPING_REOPENS = 3;
export const FLAPPING_WINDOW_MS = 60 * 60 * 1000;
/** While flapping, auto-resolve needs at least this many consecutive healthy observations. */
export const FLAPPING_RESOLVE_AFTER = 3;

/** Healthy observations needed to auto-resolve. */
export function healthyNeeded(resolveAfter: number, flapping: boolean): number {
  return flapping ? Math.max(resolveAfter, FLAPPING_RESOLVE_AFTER) : resolveAfter;
}

/** The cell of a manual action; the API maps refused to 409. */
export function manualCell(status: IncidentStatus, action: ManualAction): Cell {
  return TRANSITIONS[status][action];
}

/** The statuses that count as not resolved (the partial unique index's predicate). */
export const UNRESOLVED: readonly IncidentStatus[] = ['open', 'acknowledged', 'snoozed'];
