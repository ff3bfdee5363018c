import { sql } from 'kysely';
import { prepared } from '../database/typed-sql.js';

/** Appends any number of rows in one statement (the arrays are parallel, one element per row). */
export const APPEND_OUTBOX = prepared(
  (db, p: { ids: string[]; aggregateTypes: string[]; aggregateIds: string[]; eventTypes: string[]; payloads: string[]; at: string[] }) =>
    db
      .insertInto('outbox_events')
      .columns(['id', 'aggregate_type', 'aggregate_id', 'event_type', 'payload', 'created_at'])
      .expression(
        sql`select * from unnest(${p.ids}::uuid[], ${p.aggregateTypes}::text[], ${p.aggregateIds}::uuid[], ${p.eventTypes}::text[], ${p.payloads}::jsonb[], ${p.at}::timestamptz[])`,
      ),
);
