import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { CLOCK, type Clock } from '../jobs/clock.js';
import { HEARTBEAT_TASK } from '../jobs/heartbeat.task.js';
import { LAST_COMPLETED } from '../jobs/job-ticks.sql.js';
import { ALERTING_STATE } from '../health/alerting.sql.js';
import { MONITORS_TICK_TASK } from '../monitors/evaluation/monitors-tick.task.js';
import { OpsMetrics } from './ops-metrics.service.js';

/**
 * The gauges of the service's own machinery: its connection pool (read from the pg Pool, no I/O), and the
 * age of the newest completed `jobs.heartbeat` tick, read from job_ticks at scrape time and aged by the
 * injected clock: the dead man's switch of the job library (ticks stop: the age grows, or the sample goes
 * missing while the database is away). Features add their own the same way (`OpsMetrics.addScrapeGauge`).
 */
@Injectable()
export class DatabaseGauges implements OnModuleInit {
  private pool: Pool | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpsMetrics) private readonly metrics: OpsMetrics,
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('db_pool_max_connections', 'DB_POOL_MAX: the most connections the service\'s pool opens.').set(this.config.database.pool.max);
    this.metrics.addScrapeGauge({
      name: 'db_pool_connections',
      help: 'Connections of the service\'s pool (not the job library\'s), by state: in_use (lent to a request or task) or idle.',
      labelNames: ['state'],
      read: async () => {
        const pool = await this.nativePool();
        return [
          { labels: { state: 'in_use' }, value: pool.totalCount - pool.idleCount },
          { labels: { state: 'idle' }, value: pool.idleCount },
        ];
      },
    });
    this.metrics.addScrapeGauge({
      name: 'db_pool_waiting_requests',
      help: 'Requests for a connection waiting for one to be free (the pool is at DB_POOL_MAX).',
      read: async () => [{ value: (await this.nativePool()).waitingCount }],
    });
    if (this.config.jobs.enabled) this.addTickAge([HEARTBEAT_TASK, MONITORS_TICK_TASK]);
    this.metrics.addScrapeGauge({
      name: 'outbox_oldest_unpublished_age_seconds',
      help: 'Seconds since the oldest outbox row nobody has published was written (0: none waits): the delivery backlog.',
      read: async () => {
        const [row] = await ALERTING_STATE.run(this.orm.em.fork(), { task: MONITORS_TICK_TASK });
        const age = row.oldest_unpublished_at === null ? 0 : this.clock.now().getTime() - new Date(row.oldest_unpublished_at).getTime();
        return [{ value: Math.max(0, age) / 1000 }];
      },
    });
  }

  /**
   * Seconds since each task's newest completed slot, by the injected clock; no sample before its first.
   * task="monitors.tick" is the monitor evaluation's lag: the dead man's switch of the alerting.
   */
  private addTickAge(tasks: string[]): void {
    this.metrics.addScrapeGauge({
      name: 'job_tick_age_seconds',
      help: 'Seconds since the newest completed slot of the periodic task (job_ticks.completed_at); no sample before its first.',
      labelNames: ['task'],
      read: async () => {
        const samples = [];
        for (const task of tasks) {
          const [row] = await LAST_COMPLETED.run(this.orm.em.fork(), { task });
          if (!row?.completed_at) continue;
          const ageMs = this.clock.now().getTime() - new Date(row.completed_at).getTime();
          samples.push({ labels: { task }, value: ageMs / 1000 });
        }
        return samples;
      },
    });
  }

  private async nativePool(): Promise<Pool> {
    this.pool ??= (await this.orm.em.getConnection().getNativeClient()) as Pool;
    return this.pool;
  }
}
