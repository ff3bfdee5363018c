import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Monitor } from './monitor.entity.js';
import { MonitorsController } from './monitors.controller.js';
import { MonitorsService } from './monitors.service.js';

/** Monitors on runs: the API and monitors-as-code. Owns monitors. The evaluation reads them elsewhere. */
@Module({
  imports: [MikroOrmModule.forFeature([Monitor])],
  controllers: [MonitorsController],
  providers: [MonitorsService],
  exports: [MonitorsService],
})
export class MonitorsModule {}
