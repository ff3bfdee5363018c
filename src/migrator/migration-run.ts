import type pg from 'pg';
import { Logger } from '../logging/logger.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely } from 'kysely';
import { runCompiled } from '../database/typed-sql.js';
import { FORGET_CHECKSUM, INVALID_INDEXES, MARK_APPLIED, RECORD_CHECKSUM, UNMARK_APPLIED, UNRECORDED } from './migration-ledger.sql.js';
import type { MigrationFile } from './migration-history.js';
import { MigrationFailedError } from './migration.errors.js';

export type Direction = 'up' | 'down';

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
 * One migration run: the given migrations, in order, their SQL as loaded once (MigrationFile), executed here
 * and nowhere else, and their tracking rows and checksums written by record() and nowhere else. Consecutive
 * transactional migrations share one transaction, their bookkeeping written in it; before a
 * non-transactional migration that transaction commits, so that the migration (CREATE INDEX CONCURRENTLY
 * on a table the run just created or altered) neither misses the run's tables nor waits on its locks. It
 * runs on the lock connection (the pool when there is no lock, in tests), outside any transaction.
 */
export class MigrationRun {
  /** One line per migration as it completes: a long boot migration shows its progress (silent in the CLI's context). */
  private readonly logger = new Logger('Migrator');
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

  private committedSoFar(): string {
    return this.done.length === 0 ? '' : `; the migrations this run completed before it stay done (${this.done.join(', ')})`;
  }

  private async inTransaction(direction: Direction, names: string[]): Promise<void> {
    let current = names[0];
    try {
      await this.orm.em.fork().transactional(async (tx) => {
        for (const name of names) {
          current = name;
          const started = performance.now();
          for (const statement of this.wrapped(this.files.get(name) as MigrationFile, direction)) await execute(tx, statement);
          await this.record(tx, direction, name, Math.round(performance.now() - started));
        }
      });
      this.done.push(...names);
    } catch (error) {
      const outcome = this.done.length === 0 ? 'the whole run was rolled back' : `its transaction was rolled back${this.committedSoFar()}`;
      throw new MigrationFailedError(current, direction, error, outcome);
    }
  }

  /** The statements as MikroORM's own runner sends them: the platform's session preamble, the migration, its postamble. */
  private wrapped(file: MigrationFile, direction: Direction): string[] {
    const helper = this.orm.em.getPlatform().getSchemaHelper();
    const disableForeignKeys = this.orm.config.get('migrations').disableForeignKeys;
    const around = (sql: string | undefined) => (sql ?? '').split('\n').filter((line) => line.trim().length > 0);
    return [...around(helper?.getSchemaBeginning(this.orm.config.get('charset'), disableForeignKeys)), ...file[direction], ...around(helper?.getSchemaEnd(disableForeignKeys))];
  }

  /** The one place that writes the tracking table and the checksums: a migration applied or reverted. */
  private async record(tx: EntityManager, direction: Direction, name: string, durationMs: number | null): Promise<void> {
    if (direction === 'down') {
      await UNMARK_APPLIED.run(tx, { name });
      await FORGET_CHECKSUM.run(tx, { name });
      this.logger.log(`reverted ${name}${durationMs === null ? '' : ` in ${durationMs} ms`}`);
      return;
    }
    await MARK_APPLIED.run(tx, { name });
    await this.recordChecksum(tx, name, durationMs);
    this.logger.log(`applied ${name}${durationMs === null ? '' : ` in ${durationMs} ms`}`);
  }

  /**
   * Migrations applied before checksums were kept (or by another tool) get their current checksum, trusted
   * as they are now: once, under the lock, at the end of every `up`, even one with nothing to apply.
   */
  private async recordUnrecorded(): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const unrecorded = await UNRECORDED.run(tx, {});
      for (const { name } of unrecorded) if (this.files.has(name)) await this.recordChecksum(tx, name, null);
    });
  }

  /** Replaces any row left behind by a schema drop that kept this table (`migration:fresh`). */
  private async recordChecksum(tx: EntityManager, name: string, durationMs: number | null): Promise<void> {
    await RECORD_CHECKSUM.run(tx, { name, checksum: (this.files.get(name) as MigrationFile).checksum, durationMs });
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
    const durationMs = Math.round(performance.now() - started);
    await this.orm.em.fork().transactional((tx) => this.record(tx, direction, name, durationMs));
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
    else await execute(this.orm.em.fork(), statement);
  }

  /** Invalid indexes this migration's SQL names: a failed CREATE INDEX CONCURRENTLY leaves one behind. */
  private async invalidIndexesIn(statements: string[]): Promise<string[]> {
    const sql = statements.join('\n').toLowerCase();
    const rows = await runCompiled(this.orm.em.fork(), INVALID_INDEXES).catch(() => []);
    const escape = (name: string) => name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return rows.map((r) => r.name).filter((index) => new RegExp(`(^|[^a-z0-9_$])${escape(index)}($|[^a-z0-9_$])`).test(sql));
  }
}

/** A migration's statement as written: no placeholders (a `?` in it is SQL, e.g. jsonb's operator), on `em`'s transaction. */
async function execute(em: EntityManager, statement: string): Promise<void> {
  const executor = (em.getTransactionContext<Kysely<unknown>>() ?? em.getConnection().getClient()) as Kysely<unknown>;
  await executor.executeQuery(CompiledQuery.raw(statement, []));
}
