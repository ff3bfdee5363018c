import { createHash } from 'node:crypto';
import pg from 'pg';
import { DomainError } from '../common/domain-error.js';
import { clientConnection } from '../database/pg-connection.js';
import { describeBlockers } from './migration-blockers.js';
import { BLOCKING, QUERY_SHAPE, type Blocker } from './migration-blockers.sql.js';

export interface LockTarget {
  /** The database to migrate, as the ORM connects to it. */
  url: string;
  ssl: false | { rejectUnauthorized: boolean };
  schema: string;
  trackingTable: string;
  /** How long to wait for another runner to finish. */
  timeoutMs: number;
  /** How often to retry a run whose DDL could not get its table lock within lock_timeout. */
  ddlLockRetries: number;
  ddlLockTimeoutMs: number;
  /** statement_timeout of the lock connection, where non-transactional migrations run; 0 for none. */
  statementTimeoutMs: number;
  /** `up` applies pending migrations that sort before an applied one (MIGRATIONS_ALLOW_OUT_OF_ORDER). */
  allowOutOfOrder?: boolean;
}

export interface LockHolder {
  pid: number;
  application_name: string;
  since: string | null;
  state: string | null;
  /** The first characters of its current (or, idle, its last) statement. */
  query: string;
  /** The transactions it is waiting for (a concurrent index build waits for every older one). */
  waitingFor: Blocker[];
}

export class MigrationLockTimeoutError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_LOCK_TIMEOUT';
  override readonly expose = true;
  override readonly extensions: Record<string, unknown>;
  constructor(timeoutMs: number, holder: LockHolder | undefined) {
    super(
      `another migration run held the migration lock for more than ${timeoutMs} ms` +
        (holder
          ? ` (pid ${holder.pid}, application_name "${holder.application_name}", connected since ${holder.since ?? 'unknown'}, ` +
            `${holder.state ?? 'state unknown'}: "${holder.query}")` +
            (holder.waitingFor.length ? `; it is waiting for ${describeBlockers(holder.waitingFor)}` : '')
          : '') +
        '; this run applied nothing. Raise MIGRATIONS_LOCK_TIMEOUT_MS or find out why that run is slow',
    );
    this.extensions = { holder: holder ?? null };
  }
}

/** The advisory lock key: one per database, schema and tracking table, the same in every process. */
export function migrationLockKey(database: string, schema: string, table: string): bigint {
  const digest = createHash('sha256').update(`pipeline-ledger migrations\0${database}\0${schema}\0${table}`).digest();
  return digest.readBigInt64BE(0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Who holds the lock now, from pg_locks (a bigint key shows as classid = high half, objid = low half),
 * what it runs and what it waits for: a run stuck behind a long transaction names that transaction.
 */
async function holderOf(client: pg.Client, key: bigint): Promise<LockHolder | undefined> {
  const high = Number(BigInt.asUintN(32, key >> 32n));
  const low = Number(BigInt.asUintN(32, key));
  const { rows } = await client.query<Omit<LockHolder, 'waitingFor'>>(
    `select a.pid, a.application_name, to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
       a.state, ${QUERY_SHAPE} as query
     from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.classid::bigint = $1 and l.objid::bigint = $2 and l.objsubid = 1`,
    [high, low],
  );
  if (!rows[0]) return undefined;
  const waitingFor = await client.query<Blocker>(BLOCKING.sql, BLOCKING.values({ pid: rows[0].pid }));
  return { ...rows[0], waitingFor: waitingFor.rows };
}

/**
 * Runs `work` holding a session-level advisory lock on a connection of its own (not from a pool), so that
 * of several processes migrating one database at once, one runs and the others wait, then find nothing
 * left to do. Waiting is bounded; a holder killed with SIGKILL releases the lock with its connection.
 * `work` gets that connection: non-transactional migrations run on it, outside any transaction, with the
 * same lock and statement timeouts as the pooled migration sessions.
 */
export async function withMigrationLock<T>(target: LockTarget, work: (session: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(target.url);
  const key = migrationLockKey(url.pathname.slice(1), target.schema, target.trackingTable);
  const client = new pg.Client({
    ...clientConnection(target.url, target.ssl),
    application_name: 'pipeline-ledger migrate',
    lock_timeout: target.ddlLockTimeoutMs,
    statement_timeout: target.statementTimeoutMs,
    options: '-c TimeZone=UTC',
  });
  // An error on an idle client (the server ended the session) would otherwise crash the process; the
  // next query on it fails instead, and the run with it.
  client.on('error', () => undefined);
  await client.connect();
  // PostgreSQL 14+ may end idle sessions (idle_session_timeout); this one idles through long transactional
  // segments on the pool, and ending it would release the lock mid-run. Older servers lack the setting.
  await client.query('set idle_session_timeout = 0').catch(() => undefined);
  try {
    const deadline = Date.now() + target.timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [key.toString()]);
      if (rows[0].locked) break;
      if (Date.now() >= deadline) throw new MigrationLockTimeoutError(target.timeoutMs, await holderOf(client, key));
      await sleep(100 + Math.random() * 150);
    }
    try {
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key.toString()]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
