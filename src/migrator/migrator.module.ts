import { Global, Module } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { MigrationBootstrap } from './migration.bootstrap.js';
import { MigrationService } from './migration.service.js';

/**
 * Migrations inside the service: boot applies or checks them (MIGRATIONS_ON_BOOT) before the server listens,
 * and readiness reads their state. Global, so that Nest runs its start-up hook before any other module's
 * (global modules come first): nothing else touches a table before the schema is known to be current.
 */
@Global()
@Module({
  providers: [
    { provide: MigrationService, inject: [MikroORM], useFactory: (orm: MikroORM) => new MigrationService(orm) },
    MigrationBootstrap,
  ],
  exports: [MigrationService],
})
export class MigratorModule {}
