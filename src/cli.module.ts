import { Global, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { resolveDatabaseUrl } from './database/embedded/embedded-credentials.js';
import { commandLineBudget, waitForDatabase } from './database/wait-for-database.js';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ApiKeysModule } from './auth/api-keys.module.js';
import { LineageModule } from './lineage/lineage.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MonitorsModule } from './monitors/monitors.module.js';
import { CLOCK, systemClock } from './jobs/clock.js';

/** The clock without the job library: the commands start no jobs. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
class CliClockModule {}

/**
 * What the `api-keys`, `lineage` and `monitors` commands get from Nest: the config, the connection, the API
 * keys service, the OpenLineage replay and the monitors service. No HTTP server, no start-up hooks (no boot migrations, no first key).
 * The `migrate` commands need none of it: they build their ORM and runner directly (migration-cli.ts).
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule, CliClockModule, MetricsModule, ApiKeysModule, LineageModule, MonitorsModule] };
  }
}

/**
 * The command's services from Nest, on `config`'s database (the owner's for `lineage replay`: see
 * forMigrations); closed (with its pool) when `work` is done. An unreachable database fails within
 * DB_CONNECT_TIMEOUT_MS.
 */
export async function inCliContext<T>(config: AppConfig, work: (ctx: INestApplicationContext) => Promise<T>): Promise<T> {
  const ctx = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false, abortOnError: false });
  try {
    await waitForDatabase(ctx.get(MikroORM), commandLineBudget(config.database), resolveDatabaseUrl(config), (m) => console.error(m));
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}
