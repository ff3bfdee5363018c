import type pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely } from 'kysely';
import { runCompiled } from '../database/typed-sql.js';
import { OLDER_TRANSACTIONS, type Blocker } from './migration-blockers.sql.js';
import { INVALID_INDEXES } from './migration-ledger.sql.js';

/** A name as PostgreSQL folds it: `"Quoted"` as written, unquoted lowercased. */
const IDENTIFIER = String.raw`(?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*))`;
const CREATE_INDEX = new RegExp(String.raw`\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${IDENTIFIER}`, 'gi');

/** The indexes these statements create by name (an index created without one, `create index on …`, has none to find). */
export function indexesCreatedBy(statements: string[]): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    for (const [, quoted, bare] of statement.matchAll(CREATE_INDEX)) {
      if (quoted !== undefined) names.add(quoted.replaceAll('""', '"'));
      else if (bare.toLowerCase() !== 'on') names.add(bare.toLowerCase());
    }
  }
  return [...names];
}

/** Whether `sql` names `index` anywhere (case-insensitively, as a whole word). */
export function namesIndex(sql: string, index: string): boolean {
  const escaped = index.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9_$])${escaped}($|[^a-z0-9_$])`).test(sql.toLowerCase());
}

/** Whether `error` (or a cause of it) is lock_timeout's 55P03 or statement_timeout's 57014: a statement that waited too long. */
export function waitedTooLong(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === '55P03' || code === '57014') return true;
  }
  return false;
}

/** SQL's quoting of an identifier. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface Dropped {
  dropped: string[];
  undropped: string[];
  /** Why the first of `undropped` could not be dropped. */
  error?: unknown;
}

/**
 * Where a non-transactional migration runs: the lock connection (the pool when there is no lock, in
 * tests), outside any transaction; the catalog is read there too, with the same search_path.
 */
export class OutsideSession {
  constructor(
    private readonly orm: MikroORM,
    private readonly session?: pg.Client,
  ) {}

  async exec(statement: string): Promise<void> {
    if (this.session) await this.session.query(statement);
    // As written: no placeholders (a `?` in it is SQL, e.g. jsonb's operator), the driver's error as it is.
    else await (this.orm.em.fork().getConnection().getClient() as Kysely<unknown>).executeQuery(CompiledQuery.raw(statement, []));
  }

  /**
   * A SET in a non-transactional migration lasts for the session: back to the lock connection's own
   * settings (its lock and statement timeouts were given at connect, so RESET ALL restores them), so that
   * one migration's settings never leak into the next.
   */
  async reset(): Promise<void> {
    await this.session?.query('reset all').catch(() => undefined);
  }

  /** Invalid indexes of the current schema: a failed CREATE INDEX CONCURRENTLY leaves one behind. */
  async invalidIndexes(): Promise<string[]> {
    return (await this.rows(INVALID_INDEXES).catch(() => [])).map((r) => r.name);
  }

  /**
   * DROP INDEX CONCURRENTLY each of `names`, one by one, with the session's lock_timeout (the lock budget):
   * it waits for the transactions that use the table, not for old snapshots, so the one that blocked the
   * build is no obstacle unless it also used the table. Stops at the first that cannot be dropped.
   */
  async dropIndexes(names: string[]): Promise<Dropped> {
    for (const [i, name] of names.entries()) {
      try {
        await this.exec(`drop index concurrently if exists ${quoted(name)}`);
      } catch (error) {
        await this.reset();
        return { dropped: names.slice(0, i), undropped: names.slice(i), error };
      }
    }
    return { dropped: names, undropped: [] };
  }

  /** Transactions older than a statement that ran for `waitedMs` until now: what it may have waited for. */
  async blockers(waitedMs: number): Promise<Blocker[]> {
    return this.rows(OLDER_TRANSACTIONS.bind({ olderThanMs: Math.max(0, Math.floor(waitedMs)) }).compile()).catch(() => []);
  }

  private async rows<R>(query: CompiledQuery<R>): Promise<R[]> {
    if (!this.session) return runCompiled(this.orm.em.fork(), query);
    return (await this.session.query(query.sql, [...query.parameters])).rows as R[];
  }
}
