import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { PipelineExecution } from '../src/audit/pipeline-execution.entity.js';
import { DataQualityMetric } from '../src/quality/data-quality-metric.entity.js';
import { buildDemoData, DEMO_PIPELINES, demoAnchor } from './demo-data.js';

/**
 * Realistic demo data: five pipelines, executions in every status and metrics over the last 30 days.
 * Idempotent: in one transaction it replaces the demo pipelines' rows with the day's deterministic set,
 * so running it twice leaves the same rows, and rows of other pipelines are never touched.
 */
export class DatabaseSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const { executions, metrics } = buildDemoData(demoAnchor());
    const names = DEMO_PIPELINES.map((p) => p.name);
    await em.transactional(async (tx) => {
      await tx.nativeDelete(DataQualityMetric, { pipelineName: { $in: names } });
      await tx.nativeDelete(PipelineExecution, { pipelineName: { $in: names } });
      await tx.insertMany(PipelineExecution, executions);
      await tx.insertMany(
        DataQualityMetric,
        metrics.map(({ executionId, ...metric }) => ({ ...metric, execution: executionId })),
      );
    });
  }
}
