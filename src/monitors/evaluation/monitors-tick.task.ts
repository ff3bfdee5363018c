import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { LAST_COMPLETED } from '../../jobs/job-ticks.sql.js';
import type { Tick } from '../../jobs/queue-spec.js';
import { MonitorsTick } from './monitors-tick.service.js';
import { SIGNAL_SINK, type SignalSink } from './signal-sink.js';

export const MONITORS_TICK_TASK = 'monitors.tick';

/**
 * Runs the evaluation once per MONITORS_INTERVAL_MS slot across all replicas (JobsService.every) and hands
 * the signals to the sink in the same transaction as the slot's claim: a slot's incident changes commit
 * with it or not at all, and a redelivered slot does nothing.
 */
@Injectable()
export class MonitorsTickTask implements OnModuleInit {
  private readonly logger = new Logger('MonitorsTick');

  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MonitorsTick) private readonly tick: MonitorsTick,
    @Inject(SIGNAL_SINK) private readonly sink: SignalSink,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.jobs.every(MONITORS_TICK_TASK, this.config.jobs.monitorsIntervalMs, async (tick) => void (await this.run(tick)));
  }

  /** One slot: evaluate at the tick's time, record the signals, then end the snoozes that ran out. */
  async run({ em, now }: Pick<Tick, 'em' | 'now'>): Promise<number> {
    const open = (await this.sink.openSubjects?.(em)) ?? [];
    const signals = await this.tick.evaluate(em, now, open);
    await this.sink.record(em, signals, now);
    await this.sink.expireSnoozes?.(em, now);
    const firing = signals.filter((s) => s.firing).length;
    if (firing > 0) this.logger.debug(`${firing} firing of ${signals.length} signals`);
    return signals.length;
  }

  /** When the last slot of the tick completed (readiness, metrics: the dead-man's switch); null before the first. */
  async lastCompletedAt(em: EntityManager): Promise<Date | null> {
    const [row] = await LAST_COMPLETED.run(em, { task: MONITORS_TICK_TASK });
    // Raw rows carry timestamps as text, whatever the typed row says.
    return row?.completed_at ? new Date(row.completed_at) : null;
  }
}
