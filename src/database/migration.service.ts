import type { MikroORM } from '@mikro-orm/postgresql';
import type { Migrator } from '@mikro-orm/migrations';
import { withMigrationLock, type LockTarget } from './migration-lock.js';
import { MigrationFailedError, PendingMigrationsError, UnknownMigrationError } from './migration.errors.js';

export interface AppliedMigration {
  name: string;
  executedAt: Date;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: string[];
}

/** `to` for down(): a migration name to stop at (it stays applied), or 0 to revert everything. */
export type DownTarget = string | 0;

/**
 * The one way the app, the command module and the tests apply and inspect migrations. With a lock target
 * (always, outside tests that drive one database alone), `up` and `down` run under the migration lock.
 */
export class MigrationService {
  constructor(
    private readonly orm: MikroORM,
    private readonly lock?: LockTarget,
  ) {}

  private get migrator(): Migrator {
    return this.orm.migrator as Migrator;
  }

  async status(): Promise<MigrationStatus> {
    const executed = await this.migrator.getExecuted();
    const pending = await this.migrator.getPending();
    return {
      applied: executed.map((row) => ({ name: row.name, executedAt: row.executed_at })),
      pending: pending.map((m) => m.name),
    };
  }

  async pending(): Promise<string[]> {
    return (await this.migrator.getPending()).map((m) => m.name);
  }

  async assertNonePending(): Promise<void> {
    const pending = await this.pending();
    if (pending.length > 0) throw new PendingMigrationsError(pending);
  }

  /**
   * Applies pending migrations (up to and including `to`) in one all-or-nothing transaction. What is
   * pending is read after the lock is taken, so a runner that waited for another finds nothing left.
   */
  async up(to?: string): Promise<string[]> {
    return this.locked(async () => {
      if (to !== undefined) await this.assertTarget(to, 'pending');
      return this.run('up', to === undefined ? undefined : { to });
    });
  }

  /** Reverts the last migration, or every migration after `to`, or all of them for `to = 0`. */
  async down(to?: DownTarget): Promise<string[]> {
    return this.locked(async () => {
      if (typeof to === 'string') await this.assertTarget(to, 'applied');
      return this.run('down', to === undefined ? undefined : { to });
    });
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    if (!this.lock) return work();
    const table = this.lock.trackingTable;
    return withMigrationLock(this.lock, async () => {
      // MikroORM's tracking table has no unique name: add one, so no migration can ever be logged twice.
      await this.migrator.getStorage().ensureTable();
      await this.orm.em.getConnection().execute(`create unique index if not exists "${table}_name_unique" on "${table}" (name)`);
      return work();
    });
  }

  // MikroORM ignores a `to` it cannot find among the migrations it would run, and then applies or reverts
  // everything: `up` must name a pending migration, `down` an applied one.
  private async assertTarget(name: string, must: 'pending' | 'applied'): Promise<void> {
    const status = await this.status();
    const candidates = must === 'pending' ? status.pending : status.applied.map((m) => m.name);
    if (!candidates.includes(name)) throw new UnknownMigrationError(name, must, candidates);
  }

  private async run(direction: 'up' | 'down', options?: { to: string | 0 }): Promise<string[]> {
    let current: string | undefined;
    const track = ({ name }: { name: string }) => {
      current = name;
    };
    const event = direction === 'up' ? 'migrating' : 'reverting';
    this.migrator.on(event, track);
    try {
      const done = direction === 'up' ? await this.migrator.up(options) : await this.migrator.down(options);
      return done.map((m) => m.name);
    } catch (error) {
      throw new MigrationFailedError(current ?? '(before the first migration)', direction, error);
    } finally {
      this.migrator.off(event, track);
    }
  }
}
