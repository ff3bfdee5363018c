import { hostname, userInfo } from 'node:os';
import type pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Migrator } from '@mikro-orm/migrations';
import { withMigrationLock, type LockTarget } from './migration-lock.js';
import { findProblems, outOfOrder, readMigrationFiles, type AppliedRow } from './migration-history.js';
import {
  historyError,
  MigrationOutOfOrderError,
  NothingToRepairError,
  PendingMigrationsError,
} from './migration.errors.js';
import { MigrationRun, type Direction } from './migration-run.js';
import { withLockRetries } from './migration-retries.js';
import { runStatement } from '../database/typed-sql.js';
import { APPLIED, APPLIED_WITHOUT_CHECKSUMS, LEDGER_DDL, LEDGER_EXISTS, REPAIR_CHECKSUM } from './migration-ledger.sql.js';

import { describeApplied, lastApplied, selectRun, type DownTarget, type MigrationStatus } from './migration-status.js';

export type { AppliedMigration, ChecksumState, DownTarget, MigrationStatus } from './migration-status.js';

export interface UpOptions {
  /** Apply pending migrations that sort before an applied one; default: the runner's setting (MIGRATIONS_ALLOW_OUT_OF_ORDER). */
  allowOutOfOrder?: boolean;
  /** Apply `to` alone, not the pending migrations that sort before it (drift rebuilds what ran, in the order it ran). */
  only?: boolean;
}

/**
 * The one way the app, the command module and the tests apply and inspect migrations. With a lock target
 * (always, outside tests that drive one database alone), `up`, `down` and `repair` run under the
 * migration lock. Every migration applied through here has the checksum of its SQL recorded in the same
 * transaction, and nothing runs while the history shows an edited or missing migration; a pending migration
 * that sorts before an applied one (a merged branch) is applied only when allowed (`up` refuses it otherwise).
 */
export class MigrationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly lock?: LockTarget,
  ) {}

  private get migrator(): Migrator {
    return this.orm.migrator as Migrator;
  }

  private get em(): EntityManager {
    return this.orm.em.fork();
  }

  /** Applied (with checksum state), pending, and what is wrong with the history. Reads, never writes. */
  async status(): Promise<MigrationStatus> {
    const [applied, files] = await Promise.all([this.appliedRows(), readMigrationFiles(this.orm)]);
    const byName = new Map(files.map((f) => [f.name, f]));
    const appliedNames = new Set(applied.map((a) => a.name));
    return {
      applied: applied.map((row) => describeApplied(row, byName.get(row.name))),
      pending: files.filter((f) => !appliedNames.has(f.name)).map((f) => f.name),
      problems: findProblems(applied, files),
      outOfOrder: outOfOrder(applied, files),
    };
  }

  async pending(): Promise<string[]> {
    return (await this.status()).pending;
  }

  /** Refuses a history with an edited or missing migration. */
  async assertIntact(): Promise<void> {
    await this.intact();
  }

  /** For boot in `check` mode: refuses a tampered history, then pending migrations. */
  async assertNonePending(): Promise<void> {
    const status = await this.intact();
    if (status.pending.length > 0) throw new PendingMigrationsError(status.pending, status.outOfOrder);
  }

  /**
   * Applies pending migrations (up to and including `to`): all or nothing, but for non-transactional
   * migrations, before which what ran so far commits (see MigrationRun). What is pending is read after
   * the lock is taken, so a runner that waited for another finds nothing left. Pending migrations that sort
   * before an applied one are refused unless allowed (then they run in name order with the rest, and are
   * recorded as applied out of order).
   */
  up(to?: string, options: UpOptions = {}): Promise<string[]> {
    return this.run('up', to, options);
  }

  /** Reverts the migration applied last (not the one that sorts last), or every one applied after `to`, or all of them for `to = 0`. */
  down(to?: DownTarget): Promise<string[]> {
    return this.run('down', to);
  }

  /**
   * What `up(to)` or `down(to)` would run, in order, without running it or taking the lock: the
   * migrations and the SQL of each. Refuses what the real run would refuse.
   */
  async plan(direction: Direction, to?: DownTarget, options: UpOptions = {}): Promise<PlannedMigration[]> {
    const status = await this.intact();
    const byName = new Map((await readMigrationFiles(this.orm)).map((f) => [f.name, f]));
    return this.selected(status, direction, to, options).map((name) => ({
      name,
      transactional: byName.get(name)?.transactional ?? true,
      sql: byName.get(name)?.[direction] ?? [],
      outOfOrder: status.outOfOrder.includes(name),
    }));
  }

  /**
   * The one migration run, under the lock: the history is read once and checked, the target checked, and
   * each attempt (a run whose DDL waited too long for a lock is retried) runs what is then left to run.
   */
  private run(direction: Direction, to?: DownTarget, options: UpOptions = {}): Promise<string[]> {
    return this.locked(async (session) => {
      const files = await readMigrationFiles(this.orm);
      const planned = this.selected(await this.intact(), direction, to, options);
      // A retried attempt runs what earlier attempts did not commit (they report it in `done`).
      return this.retried((done) => new MigrationRun(this.orm, files, session, done).execute(direction, planned.filter((name) => !done.includes(name))));
    });
  }

  /** Records a deliberate, harmless edit of an applied migration: its new checksum, who and when. */
  async repair(name: string): Promise<void> {
    await this.locked(async () => {
      const files = await readMigrationFiles(this.orm);
      const problem = findProblems(await this.appliedRows(), files).find((p) => p.name === name && p.kind === 'changed');
      const file = files.find((f) => f.name === name);
      if (!problem || !file) throw new NothingToRepairError(name);
      const who = `${userInfo().username}@${hostname()}`;
      await REPAIR_CHECKSUM.run(this.em, { name, checksum: file.checksum, who });
    });
  }

  /** What a run applies or reverts; out-of-order migrations only when allowed (`down` is never held up by them). */
  private selected(status: MigrationStatus, direction: Direction, to: DownTarget | undefined, options: UpOptions): string[] {
    const run = selectRun(status, direction, to);
    const names = options.only && direction === 'up' && to !== undefined ? run.slice(-1) : run;
    const late = direction === 'up' ? names.filter((name) => status.outOfOrder.includes(name)) : [];
    const allowed = options.allowOutOfOrder ?? this.lock?.allowOutOfOrder ?? false;
    if (late.length > 0 && !allowed) throw new MigrationOutOfOrderError(late, lastApplied(status));
    return names;
  }

  /** The status, refused when the history is not intact. */
  private async intact(): Promise<MigrationStatus> {
    const status = await this.status();
    if (status.problems.length > 0) throw historyError(status.problems);
    return status;
  }

  /** Applied migrations with what was recorded of them; `em` may be a transaction that just applied some. */
  private async appliedRows(em: EntityManager = this.em): Promise<AppliedRow[]> {
    // Reading creates nothing (a dry run changes nothing): no tracking table means nothing applied yet.
    const [{ tracking, checksums }] = await LEDGER_EXISTS.run(em, {});
    if (!tracking) return [];
    return (checksums ? APPLIED : APPLIED_WITHOUT_CHECKSUMS).run(em, {});
  }

  private retried(work: (done: string[]) => Promise<string[]>): Promise<string[]> {
    return withLockRetries(this.lock?.ddlLockRetries ?? 0, this.lock?.ddlLockTimeoutMs ?? 0, work);
  }

  /** `work` gets the lock connection, for non-transactional migrations; without a lock they use the pool. */
  private async locked<T>(work: (session?: pg.Client) => Promise<T>): Promise<T> {
    if (!this.lock) return this.withInfrastructure(() => work());
    return withMigrationLock(this.lock, (session) => this.withInfrastructure(() => work(session)));
  }

  /** The tracking table gets a unique name (MikroORM's has none) and a checksum table beside it. */
  private async withInfrastructure<T>(work: () => Promise<T>): Promise<T> {
    await this.migrator.getStorage().ensureTable();
    for (const statement of LEDGER_DDL) await runStatement(this.em, statement);
    return work();
  }
}

export interface PlannedMigration {
  name: string;
  transactional: boolean;
  sql: string[];
  /** It sorts before an applied migration: it runs out of order. */
  outOfOrder: boolean;
}
