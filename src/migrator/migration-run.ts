import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Migrator } from '@mikro-orm/migrations';
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE as TRACKING } from '../database/orm-options.js';
import type { MigrationFile } from './migration-history.js';
import { MigrationFailedError } from './migration.errors.js';
import { runSql } from '../database/sql.js';

export type Direction = 'up' | 'down';

/** Set while the runner calls MikroORM's migrator, so that the migrator the CLI gets (locked-migrator.ts) lets those calls through. */
export const runnerCalls = new AsyncLocalStorage<true>();

export interface Segment {
  transactional: boolean;
  names: string[];
}

/** Consecutive transactional migrations share one transaction; each non-transactional one stands alone. */
export function segmentsOf(names: string[], files: Map<string, MigrationFile>): Segment[] {
  const out: Segment[] = [];
  for (const name of names) {
    const transactional = files.get(name)?.transactional ?? true;
    const last = out[out.length - 1];
    if (transactional && last?.transactional) last.names.push(name);
    else out.push({ transactional, names: [name] });
  }
  return out;
}

/**
 * One migration run: the given migrations, in order. Transactional migrations run through MikroORM's
 * migrator in one transaction per segment, their tracking rows and checksums written in it; before a
 * non-transactional migration that transaction commits, so that the migration (CREATE INDEX CONCURRENTLY
 * on a table the run just created or altered) neither misses the run's tables nor waits on its locks. It
 * runs on the lock connection (the pool when there is no lock, in tests), outside any transaction.
 */
export class MigrationRun {
  private readonly files: Map<string, MigrationFile>;

  /** `done` collects what this run committed, across the attempts of a retried run. */
  constructor(
    private readonly orm: MikroORM,
    files: MigrationFile[],
    private readonly session?: pg.Client,
    private readonly done: string[] = [],
  ) {
    this.files = new Map(files.map((f) => [f.name, f]));
  }

  async execute(direction: Direction, names: string[]): Promise<string[]> {
    for (const segment of segmentsOf(names, this.files)) {
      if (segment.transactional) await this.inTransaction(direction, segment.names);
      else await this.outside(direction, segment.names[0]);
    }
    if (direction === 'up') await this.recordUnrecorded();
    return this.done;
  }

  private get migrator(): Migrator {
    return this.orm.migrator as Migrator;
  }

  private committedSoFar(): string {
    return this.done.length === 0 ? '' : `; the migrations this run completed before it stay done (${this.done.join(', ')})`;
  }

  private async inTransaction(direction: Direction, names: string[]): Promise<void> {
    let current = names[0];
    const started = new Map<string, number>();
    const durations = new Map<string, number>();
    const before = ({ name }: { name: string }) => {
      current = name;
      started.set(name, performance.now());
    };
    const after = ({ name }: { name: string }) => {
      durations.set(name, Math.round(performance.now() - (started.get(name) ?? 0)));
    };
    const [begin, end] = direction === 'up' ? (['migrating', 'migrated'] as const) : (['reverting', 'reverted'] as const);
    this.migrator.on(begin, before).on(end, after);
    try {
      await this.orm.em.fork().transactional(async (tx) => {
        const options = { migrations: names, transaction: tx.getTransactionContext() };
        const ran = (await runnerCalls.run(true, () => (direction === 'up' ? this.migrator.up(options) : this.migrator.down(options)))).map((m) => m.name);
        // MikroORM filters what it is given by what it sees applied; anything else than all of them is a bug, not a success.
        if (ran.join() !== names.join()) throw new Error(`MikroORM ran ${ran.join(', ') || 'nothing'} instead of ${names.join(', ')}`);
        if (direction === 'down') await runSql(tx, `delete from ${CHECKSUMS_TABLE} where name = any(?::text[])`, [ran]);
        else for (const name of ran) await this.recordChecksum(tx, name, durations.get(name) ?? null);
        this.done.push(...ran);
      });
    } catch (error) {
      const outcome = this.done.length === 0 ? 'the whole run was rolled back' : `its transaction was rolled back${this.committedSoFar()}`;
      throw new MigrationFailedError(current, direction, error, outcome);
    } finally {
      this.migrator.off(begin, before).off(end, after);
    }
  }

  /**
   * Migrations applied before checksums were kept (or by another tool) get their current checksum, trusted
   * as they are now: once, under the lock, at the end of every `up`, even one with nothing to apply.
   */
  private async recordUnrecorded(): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const unrecorded = await runSql<{ name: string }>(
        tx,
        `select t.name from ${TRACKING} t left join ${CHECKSUMS_TABLE} c using (name) where c.name is null order by t.id`,
      );
      for (const { name } of unrecorded) if (this.files.has(name)) await this.recordChecksum(tx, name, null);
    });
  }

  /** Replaces any row left behind by a schema drop that kept this table (`migration:fresh`). */
  private async recordChecksum(tx: EntityManager, name: string, durationMs: number | null): Promise<void> {
    await runSql(
      tx,
      `insert into ${CHECKSUMS_TABLE} (name, checksum, duration_ms) values (?, ?, ?)
       on conflict (name) do update set checksum = excluded.checksum, duration_ms = excluded.duration_ms, recorded_at = now(), repaired_by = null, repaired_at = null`,
      [name, this.files.get(name)?.checksum, durationMs],
    );
  }

  /** A non-transactional migration: its statements one by one, then its bookkeeping in a short transaction. */
  private async outside(direction: Direction, name: string): Promise<void> {
    const file = this.files.get(name) as MigrationFile;
    const started = performance.now();
    const failed = async (error: unknown) => {
      await this.resetSession();
      const invalid = await this.invalidIndexesIn(file[direction]);
      const outcome =
        'it runs outside a transaction, so its statements that completed stay done and it is not recorded as ' +
        `${direction === 'up' ? 'applied' : 'reverted'}${this.committedSoFar()}` +
        (invalid.length ? `; it left invalid indexes behind, drop them before retrying: ${invalid.join(', ')}` : '');
      return new MigrationFailedError(name, direction, error, outcome, false);
    };
    try {
      for (const statement of file[direction]) await this.exec(statement);
    } catch (error) {
      throw await failed(error);
    }
    // CREATE INDEX CONCURRENTLY IF NOT EXISTS skips an invalid index a failed build left: never record that as done.
    const invalid = await this.invalidIndexesIn(file[direction]);
    if (invalid.length > 0) throw await failed(new Error(`index ${invalid.join(', ')} is INVALID (a failed concurrent build)`));
    await this.resetSession();
    await this.orm.em.fork().transactional(async (tx) => {
      if (direction === 'up') {
        await runSql(tx, `insert into ${TRACKING} (name) values (?)`, [name]);
        await this.recordChecksum(tx, name, Math.round(performance.now() - started));
      } else {
        await runSql(tx, `delete from ${TRACKING} where name = ?`, [name]);
        await runSql(tx, `delete from ${CHECKSUMS_TABLE} where name = ?`, [name]);
      }
    });
    this.done.push(name);
  }

  /**
   * A SET in a non-transactional migration lasts for the session: back to the lock connection's own
   * settings (its lock and statement timeouts were given at connect, so RESET ALL restores them), so that
   * one migration's settings never leak into the next.
   */
  private async resetSession(): Promise<void> {
    await this.session?.query('reset all').catch(() => undefined);
  }

  private async exec(statement: string): Promise<void> {
    if (this.session) await this.session.query(statement);
    else await this.orm.em.getConnection().execute(statement);
  }

  /** Invalid indexes this migration's SQL names: a failed CREATE INDEX CONCURRENTLY leaves one behind. */
  private async invalidIndexesIn(statements: string[]): Promise<string[]> {
    const sql = statements.join('\n').toLowerCase();
    const rows = await runSql<{ name: string }>(
      this.orm.em.fork(),
      `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
       join pg_namespace n on n.oid = c.relnamespace where not i.indisvalid and n.nspname = current_schema()`,
    ).catch(() => []);
    const escape = (name: string) => name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return rows.map((r) => r.name).filter((index) => new RegExp(`(^|[^a-z0-9_$])${escape(index)}($|[^a-z0-9_$])`).test(sql));
  }
}
