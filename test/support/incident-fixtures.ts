import { jest } from '@jest/globals';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncidentSignal } from '../../src/incidents/incident-signal.js';
import { IncidentsService } from '../../src/incidents/incidents.service.js';
import { CLOCK, type Clock } from '../../src/jobs/clock.js';
import { ManualClock } from './clock.js';
import { sql } from './test-database.js';

/** A firing signal of a monitor of its own (a fresh dedupe key) unless `over` says otherwise. */
export function signal(over: Partial<IncidentSignal> = {}): IncidentSignal {
  return {
    monitorId: randomUUID(),
    kind: 'run_failed',
    severity: 'warning',
    pipelineName: `p_${randomUUID().slice(0, 8)}`,
    subject: 'subject',
    firing: true,
    evidence: { error: 'boom' },
    ...over,
  };
}

/**
 * The app's incidents with time on a ManualClock: the app's CLOCK (what manual actions stamp) follows it,
 * and record()/expireSnoozes() run at its time, each in a transaction of their own as a tick would.
 */
export function incidentsOf(app: NestFastifyApplication, clock = new ManualClock(new Date())) {
  jest.spyOn(app.get<Clock>(CLOCK), 'now').mockImplementation(() => clock.now());
  const incidents = app.get(IncidentsService);
  const em = app.get(MikroORM).em as EntityManager;
  return {
    clock,
    record: (...signals: IncidentSignal[]) => em.fork().transactional((tx) => incidents.record(tx, signals, clock.now())),
    expireSnoozes: () => em.fork().transactional((tx) => incidents.expireSnoozes(tx, clock.now())),
    em,
    incidents,
  };
}

/** The outbox rows about one incident, oldest first. */
export function outboxOf(url: string, incidentId: string) {
  return sql<{ event_type: string; payload: Record<string, unknown>; published_at: Date | null }>(
    url,
    `select event_type, payload, published_at from outbox_events where aggregate_id = '${incidentId}' order by id`,
  );
}

export const MINUTE = 60_000;
