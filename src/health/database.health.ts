import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { MigrationService } from '../database/migration.service.js';

class TimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(MigrationService) private readonly migrationService: MigrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A round trip through the pool, bounded so that a hung server makes the probe fail instead of hang. */
  async ping(key: string) {
    const check = this.indicators.check(key);
    const started = performance.now();
    try {
      await withTimeout(this.orm.em.getConnection().execute('select 1'), this.config.database.connectTimeoutMs, 'ping');
      return check.up({ responseTimeMs: Math.round(performance.now() - started) });
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  async migrations(key: string) {
    const check = this.indicators.check(key);
    try {
      const pending = await withTimeout(
        this.migrationService.pending(),
        this.config.database.connectTimeoutMs,
        'reading migrations',
      );
      return pending.length === 0 ? check.up({ pending: 0 }) : check.down({ pending: pending.length, names: pending });
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
