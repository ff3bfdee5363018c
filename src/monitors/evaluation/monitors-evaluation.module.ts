import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { MonitorsTick } from './monitors-tick.service.js';
import { MonitorsTickTask } from './monitors-tick.task.js';
import { SIGNAL_SINK, type SignalSink } from './signal-sink.js';

/**
 * The time-driven monitors tick. It needs a sink for its signals, which is the incidents module's service:
 * `MonitorsEvaluationModule.register({ imports: [IncidentsModule], sink: IncidentsService })`. There is no
 * default sink on purpose: a tick that evaluated and told no one would look healthy while alerting nothing.
 */
@Module({})
export class MonitorsEvaluationModule {
  static register(options: { imports?: ModuleMetadata['imports']; sink: Type<SignalSink> }): DynamicModule {
    return {
      module: MonitorsEvaluationModule,
      imports: options.imports ?? [],
      providers: [MonitorsTick, MonitorsTickTask, { provide: SIGNAL_SINK, useExisting: options.sink }],
      exports: [MonitorsTick, MonitorsTickTask],
    };
  }
}
