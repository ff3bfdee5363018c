import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MikroORM } from '@mikro-orm/postgresql';
import { CLOCK, type Clock } from '../jobs/clock.js';
import { MONITORS_TICK_TASK } from '../monitors/evaluation/monitors-tick.task.js';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { ALERTING_STATE } from './alerting.sql.js';
import { withTimeout } from '../common/with-timeout.js';

/** Seconds from `at` (text from the database) to `now`; null when there is no `at`. */
const ageSeconds = (at: string | null, now: Date) => (at === null ? null : Math.max(0, (now.getTime() - new Date(at).getTime()) / 1000));

/**
 * Readiness details for the alerting: the last completed monitor evaluation and the outbox backlog's age.
 * Informational, never "down": a replica that cannot evaluate can still take traffic, and taking it out of
 * the load balancer would not help. Prometheus alerts on the same figures (docs/metrics.md).
 */
@Injectable()
export class AlertingHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async state(key: string) {
    const check = this.indicators.check(key);
    try {
      const read = ALERTING_STATE.run(this.orm.em.fork(), { task: MONITORS_TICK_TASK });
      const [row] = await withTimeout(read, this.config.database.connectTimeoutMs, 'reading the alerting state');
      const now = this.clock.now();
      return check.up({
        last_evaluation_at: row.last_evaluation_at === null ? null : new Date(row.last_evaluation_at).toISOString(),
        evaluation_age_seconds: ageSeconds(row.last_evaluation_at, now),
        oldest_unpublished_outbox_age_seconds: ageSeconds(row.oldest_unpublished_at, now),
      });
    } catch {
      // Unreadable (the database is away or hangs: bounded like the ping). The database checks beside this
      // one say what is wrong with it.
      return check.up({ last_evaluation_at: null, evaluation_age_seconds: null, oldest_unpublished_outbox_age_seconds: null, unknown: true });
    }
  }
}
