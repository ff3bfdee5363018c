import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app.config.js';
import { DomainError } from '../common/domain-error.js';
import { buildOrmOptions, MIGRATIONS_TABLE, sslOptions } from '../database/orm-options.js';
import { resolveDatabaseUrl } from '../database/embedded/embedded-credentials.js';
import type { LockTarget } from './migration-lock.js';
import { forMigrations } from './migration-settings.js';
import { MigrationService, type DownTarget, type UpOptions } from './migration.service.js';

/** The lock connection is the owner's too: non-transactional migrations run on it. */
function lockTargetFor(config: AppConfig): LockTarget {
  const url = resolveDatabaseUrl(forMigrations(config));
  return { url: url.toString(), ssl: sslOptions(url.searchParams.get('sslmode')), ...lockSettingsFor(config) };
}

/** How the runner locks and times its work, on whichever database it runs: no URL needed. */
export function lockSettingsFor(config: AppConfig): Omit<LockTarget, 'url' | 'ssl'> {
  return {
    schema: 'public',
    trackingTable: MIGRATIONS_TABLE,
    timeoutMs: config.migrations.lockTimeoutMs,
    ddlLockRetries: config.migrations.ddlLockRetries,
    ddlLockTimeoutMs: config.migrations.ddlLockTimeoutMs,
    statementTimeoutMs: config.migrations.statementTimeoutMs,
    allowOutOfOrder: config.migrations.allowOutOfOrder,
  };
}

/** The schema change was refused for the role: the runner is connected as the service's role, not the owner. */
export class MigrationPrivilegesError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_PRIVILEGES';
  constructor(role: string, cause: Error) {
    super(
      `the database role "${role}" may not change the schema (${cause.message}): migrations run as the role that owns ` +
        'the tables; set MIGRATIONS_DATABASE_URL to its URL (see docs/database-roles.md), or apply migrations ' +
        'from a release step that has it and boot with MIGRATIONS_ON_BOOT=check',
      { cause },
    );
  }
}

/** PostgreSQL's insufficient_privilege (42501), anywhere in the chain of causes. */
function insufficientPrivilege(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '42501') return true;
  }
  return false;
}

/**
 * Says what to do when the runner's own bookkeeping DDL (the tracking table's index, the checksum table)
 * is refused before any migration ran. A migration that fails is already a MigrationFailedError naming it.
 */
class OwnerMigrationService extends MigrationService {
  constructor(orm: MikroORM, lock: LockTarget, private readonly role: string) {
    super(orm, lock);
  }

  override up(to?: string, options?: UpOptions): Promise<string[]> {
    return this.explained(() => super.up(to, options));
  }

  override down(to?: DownTarget): Promise<string[]> {
    return this.explained(() => super.down(to));
  }

  override repair(name: string): Promise<void> {
    return this.explained(() => super.repair(name));
  }

  private async explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError || !(error instanceof Error) || !insufficientPrivilege(error)) throw error;
      throw new MigrationPrivilegesError(this.role, error);
    }
  }
}

export interface MigrationRunner {
  orm: MikroORM;
  migrations: MigrationService;
  close(): Promise<void>;
}

/** The locked runner over `orm`, an ORM connected as the owner (openMigrationRunner's). */
function ownerMigrations(orm: MikroORM, config: AppConfig): MigrationService {
  const role = decodeURIComponent(resolveDatabaseUrl(forMigrations(config)).username);
  return new OwnerMigrationService(orm, lockTargetFor(config), role);
}

/**
 * An ORM of its own for applying migrations (boot with MIGRATIONS_ON_BOOT=up, drift's scratch database),
 * with the migration lock: whoever applies or reverts migrations goes through MigrationService.
 */
export async function openMigrationRunner(config: AppConfig): Promise<MigrationRunner> {
  const orm = await MikroORM.init(buildOrmOptions(forMigrations(config)));
  return { orm, migrations: ownerMigrations(orm, config), close: () => orm.close(true) };
}
