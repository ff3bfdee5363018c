import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { resolveDatabaseUrl } from '../database/embedded/embedded-credentials.js';
import { openMigrationRunner } from './migration-orm.js';
import { MigrationService } from './migration.service.js';
import { waitForDatabase } from '../database/wait-for-database.js';

/** Runs before the server listens: reach the database, then apply or check migrations per MIGRATIONS_ON_BOOT. */
@Injectable()
export class MigrationBootstrap implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(MigrationService) private readonly migrations: MigrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const budget = { ms: this.config.database.bootRetryMs, variable: 'DB_BOOT_RETRY_MS' } as const;
    await waitForDatabase(this.orm, budget, resolveDatabaseUrl(this.config), (m) => this.logger.warn(m));
    switch (this.config.migrations.onBoot) {
      case 'up': {
        const runner = await openMigrationRunner(this.config);
        try {
          const applied = await runner.migrations.up();
          this.logger.log(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'no pending migrations');
        } finally {
          await runner.close();
        }
        return;
      }
      case 'check':
        await this.migrations.assertNonePending();
        this.logger.log('no pending migrations');
        return;
      case 'off':
        return;
    }
  }
}
