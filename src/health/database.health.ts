import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { MigrationService } from '../migrator/migration.service.js';
import { withTimeout } from '../common/with-timeout.js';

/**
 * The probe is unauthenticated, so it says only what kind of failure it saw (an error code such as
 * ECONNREFUSED, 28P01 or TIMEOUT); the full message goes to the log, once per change of state.
 */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'UNAVAILABLE';
}

@Injectable()
export class DatabaseHealthIndicator {
  private readonly logger = new Logger('Health');
  private lastFailure: string | undefined;

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
      this.noteRecovery();
      return check.up({ responseTimeMs: Math.round(performance.now() - started) });
    } catch (error) {
      this.noteFailure(error);
      return check.down({ reason: reasonOf(error) });
    }
  }

  async migrations(key: string) {
    const check = this.indicators.check(key);
    try {
      const { applied, pending, problems } = await withTimeout(this.migrationService.status(), this.config.database.connectTimeoutMs, 'reading migrations');
      const counts = { applied: applied.length, pending: pending.length };
      if (problems.length > 0) return check.down({ ...counts, problems });
      return pending.length === 0 ? check.up(counts) : check.down({ ...counts, names: pending });
    } catch (error) {
      return check.down({ reason: reasonOf(error) });
    }
  }

  private noteFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.lastFailure !== message) this.logger.warn(`database not reachable: ${message}`);
    this.lastFailure = message;
  }

  private noteRecovery(): void {
    if (this.lastFailure !== undefined) this.logger.log('database reachable again');
    this.lastFailure = undefined;
  }
}
