import { Factory } from '@mikro-orm/seeder';
import type { EntityData } from '@mikro-orm/core';
import { ExecutionStatus } from '../src/audit/execution-status.js';
import { PipelineExecution } from '../src/audit/pipeline-execution.entity.js';
import { DataQualityMetric } from '../src/quality/data-quality-metric.entity.js';

/** A valid execution; override what a test or seeder cares about. Terminal statuses get a completed_at. */
export class PipelineExecutionFactory extends Factory<PipelineExecution> {
  readonly model = PipelineExecution;

  // No default value for `input`: MikroORM passes the overrides only to a definition that declares a parameter.
  protected definition(overrides?: EntityData<PipelineExecution>): EntityData<PipelineExecution> {
    const input = overrides ?? {};
    const status = (input.status as ExecutionStatus | undefined) ?? ExecutionStatus.Running;
    const startedAt = (input.startedAt as Date | undefined) ?? new Date();
    const terminal = status !== ExecutionStatus.Pending && status !== ExecutionStatus.Running;
    return {
      pipelineName: 'factory_pipeline',
      status,
      startedAt,
      completedAt: terminal ? new Date(startedAt.getTime() + 60_000) : null,
      rowCounts: {},
      errorDetails: status === ExecutionStatus.Failed ? 'factory failure' : null,
      attempt: 1,
      ...input,
    };
  }
}

/** A valid metric for a pipeline; by default a row count recorded now. */
export class DataQualityMetricFactory extends Factory<DataQualityMetric> {
  readonly model = DataQualityMetric;

  protected definition(overrides?: EntityData<DataQualityMetric>): EntityData<DataQualityMetric> {
    const input = overrides ?? {};
    return {
      pipelineName: 'factory_pipeline',
      metricType: 'row_count',
      metricValue: 1000,
      recordedAt: new Date(),
      metadata: {},
      ...input,
    };
  }
}
