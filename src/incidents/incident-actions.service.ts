import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { formatIsoDuration, requireIsoDuration } from '../common/iso-duration.js';
import { queries, runQuery } from '../database/typed-sql.js';
import { CLOCK, type Clock } from '../jobs/clock.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { IncidentDetailResponse, SnoozeDto } from './dto/incident.dto.js';
import { incidentObject, type IncidentRow } from './incident-columns.js';
import { incidentOutbox } from './incident-outbox.js';
import { manualCell, type IncidentStatus, type ManualAction } from './incident-transitions.js';
import { IllegalIncidentTransitionError, IncidentAlreadyOpenError, IncidentNotFoundError } from './incidents.errors.js';
import { episodeEvidence, insertTimelineEntry, selectIncident, selectTimeline } from './incidents.sql.js';

/** The longest snooze (docs/security.md, Limits): a forgotten snooze must not hide a problem for good. */
export const MAX_SNOOZE_MS = 30 * 86_400_000;
/** The timeline entries GET /v1/incidents/{id} shows, oldest first (re-fires write none, so few are needed). */
export const TIMELINE_LIMIT = 1000;

/**
 * Work another module does in a manual action's transaction, after the incident is locked and before the
 * transition: it may refuse (throw) and returns details for the timeline entry (accept-baseline).
 */
export type WithinAction = (tx: EntityManager, incident: IncidentRow) => Promise<Record<string, unknown>>;

/** The manual actions of the API, one transaction each, by the transition table. */
@Injectable()
export class IncidentActionsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(id: string, em: EntityManager = this.em): Promise<IncidentDetailResponse> {
    const [found] = await runQuery(em, selectIncident(id));
    if (!found) throw new IncidentNotFoundError(id);
    const timeline = await runQuery(em, selectTimeline(id, TIMELINE_LIMIT));
    return { ...found.row, timeline };
  }

  /** The evidence that opened (or reopened) the incident's current episode; its own evidence if none is recorded. */
  async episodeEvidence(tx: EntityManager, incident: IncidentRow): Promise<Record<string, unknown>> {
    const [row] = await runQuery(tx, episodeEvidence(incident.incident_id));
    return row?.evidence ?? incident.evidence;
  }

  /** The snooze's end from `until` or `for`; 400 naming the field, before anything is read or written. */
  snoozeUntil(body: SnoozeDto): Date {
    const now = this.clock.now().getTime();
    if ((body.until === undefined) === (body.for === undefined)) {
      throw new InvalidRequestError({ in: 'body', pointer: '/until', detail: 'give exactly one of until or for' });
    }
    const pointer = body.until !== undefined ? '/until' : '/for';
    const end = body.until !== undefined ? Date.parse(body.until) : now + requireIsoDuration(body.for, '/for');
    if (end <= now) throw new InvalidRequestError({ in: 'body', pointer, detail: 'must be in the future' });
    if (end - now > MAX_SNOOZE_MS) throw new InvalidRequestError({ in: 'body', pointer, detail: `must be at most ${formatIsoDuration(MAX_SNOOZE_MS)} ahead` });
    return new Date(end);
  }

  /** Applies a manual action for the API key `actor`; answers the incident with its timeline. */
  act(id: string, action: ManualAction, actor: string, until?: Date, within?: WithinAction): Promise<IncidentDetailResponse> {
    return this.em.fork().transactional(async (tx) => {
      const [found] = await runQuery(tx, selectIncident(id, true));
      if (!found) throw new IncidentNotFoundError(id);
      const before = found.row;
      const extra = within ? await within(tx, before) : {};
      const cell = manualCell(before.status, action);
      if (cell.kind === 'refused' || cell.kind === 'none') throw new IllegalIncidentTransitionError(action, before.status);
      if (cell.kind === 'noop') return this.get(id, tx);
      const now = this.clock.now();
      const after = await this.update(tx, id, action, before.status, actor, now, until);
      if (cell.record) {
        const details = { from: before.status, ...(until ? { until: until.toISOString() } : {}), ...extra };
        await runQuery(tx, insertTimelineEntry({ incidentId: id, at: now.toISOString(), type: cell.record, actorApiKeyId: actor, details }));
      }
      if (cell.notify) await this.outbox.append(tx, [incidentOutbox(cell.notify, after, now, actor)]);
      return this.get(id, tx);
    });
  }

  private async update(tx: EntityManager, id: string, action: ManualAction, from: IncidentStatus, actor: string, now: Date, until?: Date): Promise<IncidentRow> {
    const at = now.toISOString();
    const set = {
      acknowledge: { status: 'acknowledged', acknowledged_by: actor, acknowledged_at: at, snoozed_until: null },
      snooze: { status: 'snoozed', snoozed_until: (until ?? now).toISOString() },
      resolve: { status: 'resolved', resolved_at: at, snoozed_until: null },
      reopen: {
        status: 'open', resolved_at: null, snoozed_until: null, acknowledged_by: null, acknowledged_at: null, healthy_streak: 0,
        reopen_count: sql<number>`reopen_count + ${from === 'resolved' ? 1 : 0}`,
      },
    } as const;
    try {
      const [row] = await runQuery(
        tx,
        queries.updateTable('incidents as i').set(set[action]).where('i.incident_id', '=', id).returning(incidentObject('i').as('row')),
      );
      return row.row;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new IncidentAlreadyOpenError(id);
      throw error;
    }
  }
}
