import type pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Migrator } from '@mikro-orm/migrations';
import { CHECKSUMS_TABLE, type MigrationFile } from './migration-history.js';
import { MigrationFailedError } from './migration.errors.js';
import { runSql } from './sql.js';

export type Direction = 'up' | 'down';
export const TRACKING = 'mikro_orm_migrations';

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
  private readonly done: string[] = [];

  constructor(
    private readonly orm: MikroORM,
    files: MigrationFile[],
    private readonly session?: pg.Client,
  ) {
    this.files = new Map(files.map((f) => [f.name, f]));
  }

  async execute(direction: Direction, names: string[]): Promise<string[]> {
    for (const segment of segmentsOf(names, this.files)) {
      if (segment.transactional) await this.inTransaction(direction, segment.names);
      else await this.outside(direction, segment.names[0]);
    }
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
        const ran = direction === 'up' ? await this.migrator.up(options) : await this.migrator.down(options);
        if (direction === 'down') await runSql(tx, `delete from ${CHECKSUMS_TABLE} where name = any(?::text[])`, [ran.map((m) => m.name)]);
        else await this.recordChecksums(tx, ran.map((m) => m.name), durations);
        this.done.push(...ran.map((m) => m.name));
      });
    } catch (error) {
      const outcome = this.done.length === 0 ? 'the whole run was rolled back' : `its transaction was rolled back${this.committedSoFar()}`;
      throw new MigrationFailedError(current, direction, error, outcome);
    } finally {
      this.migrator.off(begin, before).off(end, after);
    }
  }

  /**
   * Checksums of the migrations just applied (replacing any row left behind by a schema drop that kept
   * this table), and of any applied before checksums were kept (trusted as they are now).
   */
  private async recordChecksums(tx: EntityManager, ran: string[], durations: Map<string, number>): Promise<void> {
    for (const name of ran) await this.recordChecksum(tx, name, durations.get(name) ?? null);
    const unrecorded = await runSql<{ name: string }>(
      tx,
      `select t.name from ${TRACKING} t left join ${CHECKSUMS_TABLE} c using (name) where c.name is null order by t.id`,
    );
    for (const { name } of unrecorded) if (this.files.has(name)) await this.recordChecksum(tx, name, null);
  }

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
    try {
      for (const statement of file[direction]) await this.exec(statement);
    } catch (error) {
      await this.resetSession();
      const outcome =
        'it runs outside a transaction, so its statements that completed stay done and it is not recorded as ' +
        `${direction === 'up' ? 'applied' : 'reverted'}${this.committedSoFar()}${await this.invalidIndexes()}`;
      throw new MigrationFailedError(name, direction, error, outcome, false);
    }
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

  /** A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind, which must be dropped before a retry. */
  private async invalidIndexes(): Promise<string> {
    try {
      const rows = await runSql<{ name: string }>(
        this.orm.em.fork(),
        `select i.indexrelid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indexrelid
         join pg_namespace n on n.oid = c.relnamespace where not i.indisvalid and n.nspname = current_schema()`,
      );
      return rows.length === 0 ? '' : `; invalid indexes left behind, drop them before retrying: ${rows.map((r) => r.name).join(', ')}`;
    } catch {
      return '';
    }
  }
}
