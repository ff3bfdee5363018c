import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Monitor } from './monitor.entity.js';
import { MonitorDefault } from './monitor-default.entity.js';
import { MonitorSeriesState } from './monitor-series-state.entity.js';
import { MonitorDefaultsController } from './monitor-defaults.controller.js';
import { MonitorDefaultsService } from './monitor-defaults.service.js';
import { BaselineController } from './baseline.controller.js';
import { BaselineService } from './baseline.service.js';
import { MonitorsController } from './monitors.controller.js';
import { MonitorsService } from './monitors.service.js';
import { RunFailedListener } from './run-failed.listener.js';
import { AuditModule } from '../audit/audit.module.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';

/**
 * Monitors on runs and on reported data: the API, monitors-as-code and the event-driven run_failed monitor (RunFailedListener,
 * subscribed to the audit log's RunOutcomes). Owns monitors, monitor_defaults and monitor_series_state. The time-driven
 * evaluation (evaluation/) reads them too.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Monitor, MonitorDefault, MonitorSeriesState]), AuditModule, IncidentsModule, OutboxModule],
  controllers: [MonitorsController, MonitorDefaultsController, BaselineController],
  providers: [MonitorsService, MonitorDefaultsService, RunFailedListener, BaselineService],
  exports: [MonitorsService, MonitorDefaultsService],
})
export class MonitorsModule {}
