import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsService } from './executions.service.js';
import { PipelineExecutionEvent } from './pipeline-execution-event.entity.js';
import { PipelineExecution } from './pipeline-execution.entity.js';
import { Pipeline } from './pipeline.entity.js';
import { PipelinesController } from './pipelines.controller.js';
import { PipelinesService } from './pipelines.service.js';
import { RunOutcomes } from './run-outcomes.js';
import { RunReportsService } from './run-reports.service.js';
import { TransitionsService } from './transitions.service.js';

/**
 * Pipeline executions: the audit log. Owns pipelines, pipeline_executions and pipeline_execution_events. Other features
 * record runs through RunReportsService (runs reported by OpenLineage producers), and hear of finished runs
 * through RunOutcomes.
 */
@Module({
  imports: [MikroOrmModule.forFeature([PipelineExecution, PipelineExecutionEvent, Pipeline])],
  controllers: [ExecutionsController, PipelinesController],
  providers: [ExecutionsService, TransitionsService, PipelinesService, RunReportsService, RunOutcomes],
  exports: [ExecutionsService, RunReportsService, RunOutcomes],
})
export class AuditModule {}
