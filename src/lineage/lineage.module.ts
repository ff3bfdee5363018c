import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AuditModule } from '../audit/audit.module.js';
import { QualityModule } from '../quality/quality.module.js';
import { LineageEvent } from './lineage-event.entity.js';
import { LineageController } from './lineage.controller.js';
import { LineageReplayService } from './lineage-replay.js';
import { LineageService } from './lineage.service.js';

/**
 * OpenLineage ingestion. Owns lineage_events (the raw events); records executions and metrics through
 * AuditModule's and QualityModule's exported services. Exports the replay, for the command line.
 */
@Module({
  imports: [MikroOrmModule.forFeature([LineageEvent]), AuditModule, QualityModule],
  controllers: [LineageController],
  providers: [LineageService, LineageReplayService],
  exports: [LineageReplayService],
})
export class LineageModule {}
