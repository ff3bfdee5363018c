import type { EntityManager, MigrateOptions, MigrationInfo, MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { MikroORM as PostgresOrm } from '@mikro-orm/postgresql';
import { sslOptions } from '../database/orm-options.js';
import type { LockTarget } from './migration-lock.js';
import { MigrationService } from './migration.service.js';

type UpDown = string | string[] | MigrateOptions | undefined;


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
 * MikroORM's migrator as the mikro-orm CLI sees it through the root mikro-orm.config.ts: `npx mikro-orm
 * migration:up | down | fresh` go to the project's runner (the lock, checksums, mixed runs, the lock budget),
 * which executes migrations itself, never through this class; list, pending, check and create stay MikroORM's.
 */
export function lockedMigrator(settings: Omit<LockTarget, 'url' | 'ssl'>) {
  const LockedMigrator = class extends Migrator {
    static override register(orm: MikroORM): void {
      orm.config.registerExtension('@mikro-orm/migrator', () => new LockedMigrator(orm.em, orm as PostgresOrm));
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
      return (await this.lockedRunner().down(targetOf(options))).map((name) => ({ name }));
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
