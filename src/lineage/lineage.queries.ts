import { isoColumn } from '../database/sql.js';

const EVENT_COLUMNS = [
  'l.id as event_id',
  'l.kind',
  'l.event_type',
  'l.run_id',
  isoColumn('l.event_time'),
  isoColumn('l.received_at'),
].join(', ');

/**
 * An event's identity: SHA-256 of its jsonb text, which is canonical (keys sorted, duplicate keys and
 * insignificant whitespace dropped), so the same event with its keys in another order is the same event.
 */
const HASH = (json: string) => `encode(sha256(convert_to(${json}::text, 'UTF8')), 'hex')`;

/**
 * Stores a raw event unless the same one (same hash) is stored already: then no row comes back. A
 * concurrent insert of the same event waits on the unique index until the first commits, so exactly one of
 * them writes. received_at is the database's clock when the row is written.
 *
 * Parameters: id, event_time, kind, event_type, run_id, job namespace and name, producer, payload (JSON).
 */
export const INSERT_LINEAGE_EVENT = `
  insert into lineage_events as l (id, event_hash, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, producer, payload)
  select ?::uuid, ${HASH('e.payload')}, clock_timestamp(), ?::timestamptz, ?, ?, ?::uuid, ?, ?, ?, e.payload
  from (select ?::jsonb as payload) e
  on conflict (event_hash) do nothing
  returning ${EVENT_COLUMNS}`;

/** The stored event that `payload` (JSON) repeats. */
export const SELECT_SAME_EVENT = `select ${EVENT_COLUMNS} from lineage_events l where l.event_hash = ${HASH('?::jsonb')}`;

/** The run ids of every stored run event: the executions a replay rebuilds. */
export const REPORTED_RUN_IDS = `select distinct run_id from lineage_events where run_id is not null`;

/** One page of stored events in arrival (id) order, after the id given, for the replay. */
export const EVENTS_AFTER = `
  select ${EVENT_COLUMNS}, l.payload from lineage_events l
  where l.id > ?::uuid order by l.id limit ?`;

/** Blocks new events (inserts) while a replay rebuilds from them; reads go on. */
export const LOCK_EVENTS = `lock table lineage_events in share mode`;

export interface EventRow {
  event_id: string;
  kind: string;
  event_type: string | null;
  run_id: string | null;
  event_time: string;
  received_at: string;
}
