import { sql } from 'kysely';
import { prepared } from '../database/typed-sql.js';

/** One outbox row as APPEND_OUTBOX reads it. */
export interface OutboxRecord {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  created_at: string;
}

/**
 * Appends any number of rows in one statement. `rows` is one JSON array of OutboxRecord, which
 * PostgreSQL parses once (much cheaper than a jsonb[] parameter of thousands of escaped elements).
 */
export const APPEND_OUTBOX = prepared((db, p: { rows: string }) =>
  db
    .insertInto('outbox_events')
    .columns(['id', 'aggregate_type', 'aggregate_id', 'event_type', 'payload', 'created_at'])
    .expression(
      sql`select * from jsonb_to_recordset(${p.rows}::jsonb) as r(id uuid, aggregate_type text, aggregate_id uuid, event_type text, payload jsonb, created_at timestamptz)`,
    ),
);
