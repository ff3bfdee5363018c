import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PipelineExecution } from './pipeline-execution.entity.js';

/** Pipeline executions: the audit log. Owns the pipeline_executions table. */
@Module({
  imports: [MikroOrmModule.forFeature([PipelineExecution])],
})
export class AuditModule {}
