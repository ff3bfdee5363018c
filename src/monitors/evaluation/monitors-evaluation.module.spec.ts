import { describe, expect, it } from '@jest/globals';
import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG } from '../../config/app.config.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { MonitorsEvaluationModule } from './monitors-evaluation.module.js';
import { MONITORS_TICK_TASK, MonitorsTickTask } from './monitors-tick.task.js';
import type { SignalSink } from './signal-sink.js';

@Injectable()
class RecordingSink implements SignalSink {
  async record(): Promise<void> {}
}

@Module({ providers: [RecordingSink], exports: [RecordingSink] })
class SinkModule {}

const registered: { task: string; intervalMs: number }[] = [];

@Global()
@Module({
  providers: [
    { provide: JobsService, useValue: { every: async (task: string, intervalMs: number) => void registered.push({ task, intervalMs }) } },
    { provide: APP_CONFIG, useValue: { jobs: { enabled: true, monitorsIntervalMs: 12_000 } } },
  ],
  exports: [JobsService, APP_CONFIG],
})
class FakeJobsModule {}

describe('MonitorsEvaluationModule', () => {
  it('binds the given sink and registers monitors.tick at MONITORS_INTERVAL_MS', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeJobsModule, MonitorsEvaluationModule.register({ imports: [SinkModule], sink: RecordingSink })],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(MonitorsTickTask)).toBeInstanceOf(MonitorsTickTask);
    expect(registered).toEqual([{ task: MONITORS_TICK_TASK, intervalMs: 12_000 }]);
    await moduleRef.close();
  });
});
