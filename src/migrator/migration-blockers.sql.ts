import { sql } from 'kysely';
import { prepared, rawStatement } from '../database/typed-sql.js';

/** A transaction in the way of a migration, as pg_stat_activity shows it (see describeBlockers). */
export interface Blocker {
  pid: number;
  applicationName: string;
  /** `idle in transaction`, `active`, … */
  state: string | null;
  /** When its transaction began, UTC. */
  xactStart: string;
  /** How long its transaction has been open, in whole seconds. */
  ageSeconds: number;
  /** The first characters of its current (or, idle, its last) statement, literals blanked out (QUERY_SHAPE). */
  query: string;
}

/**
 * The first 60 characters of a session's statement (`a.query`) with its string literals and dollar-quoted
 * bodies blanked out: the statement tells an operator what the session is, its values may be secrets
 * (`alter role … password '…'`) or customer data, and this text reaches error messages and logs.
 */
export const QUERY_SHAPE = String.raw`left(regexp_replace(regexp_replace(regexp_replace(coalesce(a.query, ''),
  '\$([A-Za-z_0-9]*)\$.*\$\$', '$…$', 'g'), '''[^'']*''', '''…''', 'g'), '[[:space:]]+', ' ', 'g'), 60)`;

const BLOCKER_COLUMNS = sql`a.pid, a.application_name as "applicationName", a.state,
  to_char(a.xact_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "xactStart",
  floor(extract(epoch from clock_timestamp() - a.xact_start))::int as "ageSeconds",
  ${sql.raw(QUERY_SHAPE)} as query`;

/**
 * The sessions of this database whose transaction began more than `olderThanMs` ago, oldest first: what
 * a statement that started then and waited on a lock until now waited for. CREATE INDEX CONCURRENTLY waits
 * for every transaction older than its build (a `virtualxid` wait, which is over by the time its
 * lock_timeout has failed it, so pg_blocking_pids can no longer tell); a plain DDL lock wait, for one of
 * them. The session asking is not one of them.
 */
export const OLDER_TRANSACTIONS = prepared((_db, p: { olderThanMs: number }) =>
  rawStatement(sql<Blocker>`select ${BLOCKER_COLUMNS} from pg_stat_activity a
    where a.datname = current_database() and a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
      and a.xact_start < clock_timestamp() - make_interval(secs => ${p.olderThanMs}::float8 / 1000)
    order by a.xact_start limit 5`),
);

/** What the session `pid` is waiting for right now (a concurrent index build's virtualxid waits included). */
export const BLOCKING = prepared((_db, p: { pid: number }) =>
  rawStatement(sql<Blocker>`select ${BLOCKER_COLUMNS} from pg_stat_activity a
    where a.pid = any(pg_blocking_pids(${p.pid}::int)) order by a.xact_start`),
);
