import { describe, expect, it } from '@jest/globals';
import {
  healthyNeeded,
  INCIDENT_EVENTS,
  INCIDENT_STATUSES,
  MANUAL_ACTIONS,
  manualCell,
  NEW_INCIDENT,
  TRANSITIONS,
  type Cell,
  type IncidentEvent,
  type IncidentStatus,
} from './incident-transitions.js';

/** A cell in one line: `to/record/notify`, `noop`, `409` or `-` (cannot happen). */
const short = (cell: Cell): string =>
  cell.kind === 'change' ? `${cell.to}/${cell.record ?? 'q'}/${cell.notify ?? 'q'}` : cell.kind === 'noop' ? 'noop' : cell.kind === 'refused' ? '409' : '-';

// Every state × event, written out: a change to the table must change this too.
const EXPECTED: Record<IncidentStatus, Record<IncidentEvent, string>> = {
  open: {
    fire: 'open/q/q',
    healthy: 'resolved/auto_resolved/incident.resolved',
    acknowledge: 'acknowledged/acknowledged/incident.acknowledged',
    snooze: 'snoozed/snoozed/incident.snoozed',
    snooze_expires_firing: '-',
    snooze_expires_healthy: '-',
    resolve: 'resolved/resolved/incident.resolved',
    reopen: '409',
  },
  acknowledged: {
    fire: 'acknowledged/q/q',
    healthy: 'resolved/auto_resolved/incident.resolved',
    acknowledge: 'noop',
    snooze: 'snoozed/snoozed/incident.snoozed',
    snooze_expires_firing: '-',
    snooze_expires_healthy: '-',
    resolve: 'resolved/resolved/incident.resolved',
    reopen: 'open/reopened/incident.reopened',
  },
  snoozed: {
    fire: 'snoozed/q/q',
    healthy: 'resolved/auto_resolved/incident.resolved',
    acknowledge: 'acknowledged/acknowledged/incident.acknowledged',
    snooze: 'snoozed/snoozed/incident.snoozed',
    snooze_expires_firing: 'open/snooze_expired/incident.snooze_expired',
    snooze_expires_healthy: 'resolved/snooze_expired/incident.resolved',
    resolve: 'resolved/resolved/incident.resolved',
    reopen: 'open/reopened/incident.reopened',
  },
  resolved: {
    fire: 'open/reopened/incident.reopened',
    healthy: '-',
    acknowledge: '409',
    snooze: '409',
    snooze_expires_firing: '-',
    snooze_expires_healthy: '-',
    resolve: 'noop',
    reopen: 'open/reopened/incident.reopened',
  },
};

describe('the incident transition table', () => {
  for (const status of INCIDENT_STATUSES) {
    for (const event of INCIDENT_EVENTS) {
      it(`${status} × ${event} → ${EXPECTED[status][event]}`, () => {
        expect(short(TRANSITIONS[status][event])).toBe(EXPECTED[status][event]);
      });
    }
  }

  it('has a cell for every state × event and nothing else', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...INCIDENT_STATUSES].sort());
    for (const status of INCIDENT_STATUSES) expect(Object.keys(TRANSITIONS[status]).sort()).toEqual([...INCIDENT_EVENTS].sort());
  });

  it('a fire with nothing open opens a new incident, announced', () => {
    expect(short(NEW_INCIDENT)).toBe('open/opened/incident.opened');
  });

  it('every manual action that changes an incident records it in the timeline; the table never answers "cannot happen" to one', () => {
    for (const status of INCIDENT_STATUSES) {
      for (const action of MANUAL_ACTIONS) {
        const cell = manualCell(status, action);
        expect(cell.kind).not.toBe('none');
        if (cell.kind === 'change') expect(cell.record).not.toBeNull();
      }
    }
  });

  it('only a snoozed incident can have its snooze expire', () => {
    for (const status of INCIDENT_STATUSES.filter((s) => s !== 'snoozed')) {
      expect(TRANSITIONS[status].snooze_expires_firing.kind).toBe('none');
      expect(TRANSITIONS[status].snooze_expires_healthy.kind).toBe('none');
    }
  });

  it('while flapping, auto-resolve needs at least 3 healthy observations', () => {
    expect(healthyNeeded(1, false)).toBe(1);
    expect(healthyNeeded(1, true)).toBe(3);
    expect(healthyNeeded(5, true)).toBe(5);
  });
});
