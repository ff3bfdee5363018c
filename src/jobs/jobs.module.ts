import { Global, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { CLOCK, systemClock } from './clock.js';
import { HeartbeatTask } from './heartbeat.task.js';
import { JobTick } from './job-tick.entity.js';
import { JobsService } from './jobs.service.js';

/** The job library and the clock, for every feature: nothing feature-specific lives here. Owns job_ticks. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([JobTick])],
  providers: [{ provide: CLOCK, useValue: systemClock }, JobsService, HeartbeatTask],
  exports: [CLOCK, JobsService],
})
export class JobsModule {}
