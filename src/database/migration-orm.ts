import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/app.config.js';
import { buildOrmOptions } from '../../mikro-orm.config.js';
import { forMigrations } from './migration-settings.js';

/** An ORM of its own for applying migrations (boot with MIGRATIONS_ON_BOOT=up, the migrate command). */
export function openMigrationOrm(config: AppConfig): Promise<MikroORM> {
  return MikroORM.init(buildOrmOptions(forMigrations(config)));
}
