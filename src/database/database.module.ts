import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { buildOrmOptions } from '../../mikro-orm.config.js';
import { DatabaseBootstrap } from './database.bootstrap.js';
import { MigrationService } from './migration.service.js';

@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // Lets Nest inject the PostgreSQL-specific MikroORM and EntityManager classes.
      driver: PostgreSqlDriver,
      useFactory: (config: AppConfig) => ({ ...buildOrmOptions(config), registerRequestContext: true }),
    }),
  ],
  providers: [
    { provide: MigrationService, inject: [MikroORM], useFactory: (orm: MikroORM) => new MigrationService(orm) },
    DatabaseBootstrap,
  ],
  exports: [MigrationService],
})
export class DatabaseModule {}
