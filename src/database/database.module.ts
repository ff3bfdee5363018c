import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { buildOrmOptions } from './orm-options.js';

/** The connection: MikroORM and its pool, injectable everywhere. Migrations are the MigratorModule's. */
@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // Lets Nest inject the PostgreSQL-specific MikroORM and EntityManager classes.
      driver: PostgreSqlDriver,
      // No request context: the services issue SQL through their typed statements (typed-sql.ts) or em.transactional (which forks), never
      // the unit of work, so a forked EntityManager per request (a middleware, an identity map) buys nothing.
      // With allowGlobalContext off (the default), any entity call outside a fork still fails loudly.
      useFactory: (config: AppConfig) => ({ ...buildOrmOptions(config), registerRequestContext: false }),
    }),
  ],
})
export class DatabaseModule {}
