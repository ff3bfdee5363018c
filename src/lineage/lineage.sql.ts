import { sql, type Expression, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, jsonb, prepared, rawStatement, timestamptz, uuid } from '../database/typed-sql.js';
import type { ParsedEvent } from './lineage-reader.js';

/** A stored event as the API shows it (timestamps as RFC 3339 text). */
const eventColumns = (eb: ExpressionBuilder<Database, 'lineage_events'>) => [
  eb.ref('id').as('event_id'),
  'kind' as const,
  'event_type' as const,
  'run_id' as const,
  isoText(eb.ref('event_time')).as('event_time'),
  isoText(eb.ref('received_at')).as('received_at'),
];

/**
 * An event's identity: SHA-256 of its jsonb text, which is canonical (keys sorted, duplicate keys and
 * insignificant whitespace dropped), so the same event with its keys in another order is the same event.
 */
const eventHash = (json: Expression<unknown>) => sql<string>`encode(sha256(convert_to(${json}::text, 'UTF8')), 'hex')`;

/** An event to store: what is indexed of it, as parsed, with its new id, its time as RFC 3339 and its JSON text (sent once, hashed and stored by PostgreSQL). */
export type NewEvent = Pick<ParsedEvent, 'kind' | 'eventType' | 'runId' | 'jobNamespace' | 'jobName' | 'producer'> & { id: string; eventTime: string; payload: string };

/**
 * Stores a raw event unless the same one (same hash) is stored already: then no row comes back. A
 * concurrent insert of the same event waits on the unique index until the first commits, so exactly one of
 * them writes. received_at is the database's clock when the row is written.
 */
export const INSERT_LINEAGE_EVENT = prepared((db, p: NewEvent) =>
  db
    .insertInto('lineage_events')
    .columns(['id', 'event_hash', 'received_at', 'event_time', 'kind', 'event_type', 'run_id', 'job_namespace', 'job_name', 'producer', 'payload'])
    .expression(
      db
        .selectFrom(db.selectNoFrom(jsonb<Record<string, unknown>>(p.payload).as('payload')).as('e'))
        .select((eb) => [
          uuid<string>(p.id).as('id'),
          eventHash(eb.ref('e.payload')).as('event_hash'),
          sql<Date>`clock_timestamp()`.as('received_at'),
          timestamptz<Date>(p.eventTime).as('event_time'),
          eb.val(p.kind).as('kind'),
          eb.val(p.eventType).as('event_type'),
          uuid<string | null>(p.runId).as('run_id'),
          eb.val(p.jobNamespace).as('job_namespace'),
          eb.val(p.jobName).as('job_name'),
          eb.val(p.producer).as('producer'),
          'e.payload',
        ]),
    )
    .onConflict((oc) => oc.column('event_hash').doNothing())
    .returning(eventColumns),
);

/** The stored event that `payload` (JSON text) repeats. */
export const SELECT_SAME_EVENT = prepared((db, p: { payload: string }) =>
  db.selectFrom('lineage_events').select(eventColumns).where('event_hash', '=', eventHash(jsonb<Record<string, unknown>>(p.payload))),
);

/** The run ids of every stored run event: the executions a replay rebuilds. */
export const REPORTED_RUN_IDS = prepared((db) =>
  db.selectFrom('lineage_events').select('run_id').distinct().where('run_id', 'is not', null).$narrowType<{ run_id: string }>(),
);

/** One page of stored events in arrival (id) order, after the id given, for the replay. */
export const EVENTS_AFTER = prepared((db, p: { after: string; limit: number }) =>
  db
    .selectFrom('lineage_events')
    .select((eb) => [...eventColumns(eb), 'payload'])
    .where('id', '>', uuid<string>(p.after))
    .orderBy('lineage_events.id')
    .limit(p.limit),
);

/** Blocks new events (inserts) while a replay rebuilds from them; reads go on. */
export const LOCK_EVENTS = prepared(() => rawStatement(sql<never>`lock table ${sql.table('lineage_events' satisfies keyof Database)} in share mode`));
