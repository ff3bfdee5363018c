import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Monitor } from './monitor.entity.js';
import { MonitorDefault } from './monitor-default.entity.js';
import { MonitorDefaultsController } from './monitor-defaults.controller.js';
import { MonitorDefaultsService } from './monitor-defaults.service.js';
import { MonitorsController } from './monitors.controller.js';
import { MonitorsService } from './monitors.service.js';

/** Monitors on runs: the API and monitors-as-code. Owns monitors and monitor_defaults. The evaluation reads them elsewhere. */
@Module({
  imports: [MikroOrmModule.forFeature([Monitor, MonitorDefault])],
  controllers: [MonitorsController, MonitorDefaultsController],
  providers: [MonitorsService, MonitorDefaultsService],
  exports: [MonitorsService, MonitorDefaultsService],
})
export class MonitorsModule {}
