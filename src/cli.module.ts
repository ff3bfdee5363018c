import { Module, type DynamicModule } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ApiKeysModule } from './auth/api-keys.module.js';
import { LineageModule } from './lineage/lineage.module.js';
import { ownerMigrations } from './migrator/migration-orm.js';
import { MigrationService } from './migrator/migration.service.js';

/**
 * What the command line's commands get from Nest: the config, the connection, the API keys service, the
 * OpenLineage replay and the locked migration runner. No HTTP server, no start-up hooks (no boot migrations, no first key). The CLI
 * hands it the owner's settings (forMigrations) for the commands that change the schema or replay lineage.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, ApiKeysModule, LineageModule],
      providers: [{ provide: MigrationService, inject: [MikroORM], useFactory: (orm: MikroORM) => ownerMigrations(orm, config) }],
    };
  }
}
