import type { EntityManager, MigrateOptions, MigrationInfo, MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { SqlSchemaGenerator, type MikroORM as PostgresOrm } from '@mikro-orm/postgresql';
import { sslOptions } from '../database/orm-options.js';
import { PGBOSS_SCHEMA } from '../jobs/pgboss-schema.js';
import { DestructiveGuard, type GuardSettings } from './destructive-guard.js';
import type { LockTarget } from './migration-lock.js';
import { MigrationService } from './migration.service.js';

type UpDown = string | string[] | MigrateOptions | undefined;
type DropOptions = Parameters<SqlSchemaGenerator['drop']>[0];

/** The one option the runner takes from the mikro-orm CLI: --to (a name, or 0 going down). */
function targetOf(options: UpDown): string | 0 | undefined {
  if (options === undefined) return undefined;
  const { to, ...rest } = typeof options === 'object' && !Array.isArray(options) ? options : { migrations: options };
  const others = Object.entries(rest).filter(([, value]) => value !== undefined);
  if (others.length > 0) {
    throw new Error(`under the migration lock only --to is supported (not ${others.map(([k]) => k).join(', ')}); see node dist/cli.js migrate --help`);
  }
  return to === 0 ? 0 : to === undefined ? undefined : String(to);
}

/**
 * The schema generator the mikro-orm CLI drops the schema with (`migration:fresh`, which `npm run db:reset`
 * runs, `schema:drop`, `schema:fresh`): the drop asks first (DestructiveGuard). The CLI takes no option it
 * does not know, so MIGRATIONS_FORCE=true is how it is forced.
 */
function guardedSchemaGenerator(orm: PostgresOrm, guard: GuardSettings) {
  return class GuardedSchemaGenerator extends SqlSchemaGenerator {
    override async drop(options?: DropOptions): Promise<void> {
      await new DestructiveGuard(orm, guard).confirm('dropping every table (mikro-orm migration:fresh, schema:drop or schema:fresh)');
      await super.drop(options);
      // The job library's schema is installed by a migration, not by the entities: a fresh start that
      // reapplies every migration needs it gone too (it holds only jobs, no history of ours).
      if (options?.dropMigrationsTable) await orm.em.getConnection().execute(`drop schema if exists ${PGBOSS_SCHEMA} cascade`);
    }
  };
}

/**
 * MikroORM's migrator as the mikro-orm CLI sees it through the root mikro-orm.config.ts: `npx mikro-orm
 * migration:up | down | fresh` go to the project's runner (the lock, checksums, mixed runs, the lock budget),
 * which executes migrations itself, never through this class; list, pending, check and create stay MikroORM's.
 * What destroys data (down --to 0, the drop of migration:fresh) goes through the guard first.
 */
export function lockedMigrator(settings: Omit<LockTarget, 'url' | 'ssl'>, guard: GuardSettings) {
  const LockedMigrator = class extends Migrator {
    static override register(orm: MikroORM): void {
      const postgres = orm as PostgresOrm;
      const SchemaGenerator = guardedSchemaGenerator(postgres, guard);
      orm.config.registerExtension('@mikro-orm/schema-generator', () => new SchemaGenerator(postgres.em));
      orm.config.registerExtension('@mikro-orm/migrator', () => new LockedMigrator(orm.em, postgres));
    }

    constructor(
      em: EntityManager,
      private readonly orm: PostgresOrm,
    ) {
      super(em as never);
    }

    override async up(options?: UpDown): Promise<MigrationInfo[]> {
      const to = targetOf(options);
      if (to === 0) throw new Error('up --to 0 means nothing; omit --to to apply every pending migration');
      return (await this.lockedRunner().up(to)).map((name) => ({ name }));
    }

    override async down(options?: UpDown): Promise<MigrationInfo[]> {
      const to = targetOf(options);
      if (to === 0) await new DestructiveGuard(this.orm, guard).confirm('migration:down --to 0');
      return (await this.lockedRunner().down(to)).map((name) => ({ name }));
    }

    /** Locks the database this ORM is configured for (a caller may have changed clientUrl), not the environment's. */
    private lockedRunner(): MigrationService {
      const url = this.orm.config.get('clientUrl') as string;
      return new MigrationService(this.orm, { ...settings, url, ssl: sslOptions(new URL(url).searchParams.get('sslmode')) });
    }
  };
  // MikroORM.init adds its stock Migrator unless an extension named "Migrator" is already configured.
  Object.defineProperty(LockedMigrator, 'name', { value: 'Migrator' });
  return LockedMigrator;
}
