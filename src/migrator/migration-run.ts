import type pg from 'pg';
import { Logger } from '../logging/logger.js';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely } from 'kysely';
import { FORGET_CHECKSUM, MARK_APPLIED, RECORD_CHECKSUM, UNMARK_APPLIED, UNRECORDED } from './migration-ledger.sql.js';
import type { MigrationFile } from './migration-history.js';
import { MigrationFailedError } from './migration.errors.js';
import { OutsideMigrationFailedError } from './migration-blockers.js';
import { indexesCreatedBy, namesIndex, OutsideSession, waitedTooLong } from './migration-outside.js';

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
  /** One line per migration as it completes: a long boot migration shows its progress (on stderr in the command line, at LOG_LEVEL). */
  private readonly logger = new Logger('Migrator');
  private readonly files: Map<string, MigrationFile>;
  private readonly outsideSession: OutsideSession;

  /** `done` collects what this run committed, across the attempts of a retried run. */
  constructor(
    private readonly orm: MikroORM,
    files: MigrationFile[],
    session?: pg.Client,
    private readonly done: string[] = [],
  ) {
    this.files = new Map(files.map((f) => [f.name, f]));
    this.outsideSession = new OutsideSession(orm, session);
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
    const statements = (this.files.get(name) as MigrationFile)[direction];
    await this.dropLeftovers(direction, name, statements);
    const started = performance.now();
    let ran = 0;
    let statementStarted = started;
    try {
      for (const statement of statements) {
        statementStarted = performance.now();
        await this.outsideSession.exec(statement);
        ran++;
      }
    } catch (error) {
      throw await this.failedOutside(direction, name, error, statements.slice(0, ran), performance.now() - statementStarted);
    }
    // An invalid index the SQL names but does not create (dropLeftovers leaves those alone): never record that as done.
    const sql = statements.join('\n');
    const invalid = (await this.outsideSession.invalidIndexes()).filter((index) => namesIndex(sql, index));
    if (invalid.length > 0) throw await this.failedOutside(direction, name, new Error(`index ${invalid.join(', ')} is INVALID (a failed concurrent build)`), statements, 0);
    await this.outsideSession.reset();
    const durationMs = Math.round(performance.now() - started);
    await this.orm.em.fork().transactional((tx) => this.record(tx, direction, name, durationMs));
    this.done.push(name);
  }

  /**
   * An index this migration creates that an earlier run left INVALID (its build failed, and that run was
   * killed before it could drop it) would be skipped by IF NOT EXISTS, or collide without it: it is dropped
   * first. Nothing of the migration has run yet, so a lock wait here is retried like any other.
   */
  private async dropLeftovers(direction: Direction, name: string, statements: string[]): Promise<void> {
    const created = indexesCreatedBy(statements);
    if (created.length === 0) return;
    const invalid = (await this.outsideSession.invalidIndexes()).filter((index) => created.includes(index));
    const started = performance.now();
    const { dropped, undropped, error } = await this.outsideSession.dropIndexes(invalid);
    for (const index of dropped) this.logger.warn(`dropped the invalid index ${index} that an earlier failed run of ${name} left`);
    if (undropped.length === 0) return;
    const blockers = await this.outsideSession.blockers(performance.now() - started);
    throw new OutsideMigrationFailedError(name, direction, error, this.committedSoFar(), { dropped, undropped, named: [], blockers }, true);
  }

  /**
   * After a failed statement of a non-transactional migration: the session reset, what it waited for
   * found (before anything else runs), and the invalid indexes its build left dropped, so that the next
   * attempt, or the next run, starts from where this migration began.
   */
  private async failedOutside(direction: Direction, name: string, error: unknown, ran: string[], waitedMs: number): Promise<OutsideMigrationFailedError> {
    await this.outsideSession.reset();
    const blockers = waitedTooLong(error) ? await this.outsideSession.blockers(waitedMs) : [];
    const statements = (this.files.get(name) as MigrationFile)[direction];
    const created = indexesCreatedBy(statements);
    const invalid = await this.outsideSession.invalidIndexes();
    const { dropped, undropped } = await this.outsideSession.dropIndexes(invalid.filter((index) => created.includes(index)));
    const sql = statements.join('\n');
    const named = invalid.filter((index) => !created.includes(index) && namesIndex(sql, index));
    // Only session settings ran before the failed statement: running the migration again from its start is safe.
    const retryable = ran.every((statement) => /^\s*(set|reset)\s/i.test(statement));
    return new OutsideMigrationFailedError(name, direction, error, this.committedSoFar(), { dropped, undropped, named, blockers }, retryable);
  }
}

/** A migration's statement as written: no placeholders (a `?` in it is SQL, e.g. jsonb's operator), on `em`'s transaction. */
async function execute(em: EntityManager, statement: string): Promise<void> {
  const executor = (em.getTransactionContext<Kysely<unknown>>() ?? em.getConnection().getClient()) as Kysely<unknown>;
  await executor.executeQuery(CompiledQuery.raw(statement, []));
}
