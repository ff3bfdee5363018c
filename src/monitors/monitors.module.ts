import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Monitor } from './monitor.entity.js';
import { MonitorDefault } from './monitor-default.entity.js';
import { MonitorDefaultsController } from './monitor-defaults.controller.js';
import { MonitorDefaultsService } from './monitor-defaults.service.js';
import { MonitorsController } from './monitors.controller.js';
import { MonitorsService } from './monitors.service.js';
import { RunFailedListener } from './run-failed.listener.js';
import { AuditModule } from '../audit/audit.module.js';
import { IncidentsModule } from '../incidents/incidents.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';

/**
 * Monitors on runs: the API, monitors-as-code and the event-driven run_failed monitor (RunFailedListener,
 * subscribed to the audit log's RunOutcomes). Owns monitors and monitor_defaults. The time-driven
 * evaluation (evaluation/) reads them too.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Monitor, MonitorDefault]), AuditModule, IncidentsModule, OutboxModule],
  controllers: [MonitorsController, MonitorDefaultsController],
  providers: [MonitorsService, MonitorDefaultsService, RunFailedListener],
  exports: [MonitorsService, MonitorDefaultsService],
})
export class MonitorsModule {}
