import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { JobsService } from './jobs.service.js';

export const HEARTBEAT_TASK = 'jobs.heartbeat';

/**
 * The job library's own periodic task: it does nothing but complete its slot, so job_ticks shows that ticks
 * run (the newest completed slot: readiness and metrics can report its age) and that every slot runs once
 * however many replicas offer it.
 */
@Injectable()
export class HeartbeatTask implements OnModuleInit {
  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.jobs.every(HEARTBEAT_TASK, this.config.jobs.heartbeatIntervalMs, async () => undefined);
  }
}
