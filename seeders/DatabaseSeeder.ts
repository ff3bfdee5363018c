import type { EntityManager, RequiredEntityData } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { PipelineExecution } from '../src/audit/pipeline-execution.entity.js';
import { DataQualityMetric } from '../src/quality/data-quality-metric.entity.js';
import { Pipeline } from '../src/audit/pipeline.entity.js';
import { Monitor } from '../src/monitors/monitor.entity.js';
import { buildDemoData, demoAnchor, deterministicUuidV7 } from './demo-data.js';
import { buildProblemRuns, DEMO_PIPELINE_NAMES, DEMO_PROBLEMS } from './demo-problems.js';
import { buildDatasetMetrics, buildDatasetRuns, datasetMonitorRows, seededMonitor, DEMO_DATASET_PIPELINE, DEMO_NAMESPACE, DEMO_ORDERS } from './demo-datasets.js';

/**
 * Realistic demo data: five pipelines, executions in every status and metrics over the last 30 days, and
 * three pipelines with a problem (failing, late, running long; seeders/demo-problems.ts) with the monitors
 * that notice them once the service ticks; and a dbt project with a table whose row count dropped and a
 * column whose not-null test failed (seeders/demo-datasets.ts), with the data monitors that notice them.
 * Every demo pipeline is in the registry.
 * Idempotent: in one transaction it replaces the demo pipelines' rows with the day's deterministic set,
 * so running it twice leaves the same rows, and rows of other pipelines are never touched.
 */
export class DatabaseSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const anchor = demoAnchor();
    const { executions, metrics } = buildDemoData(anchor);
    const names = DEMO_PIPELINE_NAMES;
    await em.transactional(async (tx) => {
      await tx.nativeDelete(DataQualityMetric, { pipelineName: { $in: names } });
      await tx.nativeDelete(PipelineExecution, { pipelineName: { $in: names } });
      await tx.nativeDelete(Monitor, { pipelineName: { $in: names }, createdByKey: null });
      await tx.nativeDelete(Monitor, { datasetNamespace: DEMO_NAMESPACE, datasetName: DEMO_ORDERS, createdByKey: null });
      await tx.nativeDelete(Pipeline, { name: { $in: names } });
      await tx.insertMany(PipelineExecution, [...executions, ...buildProblemRuns(anchor), ...buildDatasetRuns(anchor)]);
      await tx.insertMany(Pipeline, names.map((name) => registryRow(name, anchor)));
      await tx.insertMany(Monitor, [...monitorRows(anchor), ...datasetMonitorRows(anchor)]);
      await tx.insertMany(
        DataQualityMetric,
        metrics.map(({ executionId, ...metric }) => ({ ...metric, execution: executionId })),
      );
      await tx.insertMany(DataQualityMetric, buildDatasetMetrics(anchor));
    });
  }
}

function registryRow(name: string, anchor: Date) {
  const problem = [...DEMO_PROBLEMS, DEMO_DATASET_PIPELINE].find((p) => p.name === name);
  return {
    name,
    description: `demo pipeline (npm run db:seed)`,
    owner: problem?.owner ?? 'data-eng',
    team: problem?.team ?? 'analytics',
    tags: ['demo'],
    links: [],
    scheduleEvery: problem?.every ?? null,
    firstSeenAt: new Date(anchor.getTime() - 30 * 86_400_000),
    createdAt: anchor,
    updatedAt: anchor,
  };
}

function monitorRows(anchor: Date): RequiredEntityData<Monitor>[] {
  return DEMO_PROBLEMS.flatMap((p) =>
    p.monitor === null
      ? []
      : [{
          id: deterministicUuidV7(anchor, `${p.name}/monitor`),
          name: `demo ${p.name} ${p.monitor.kind}`,
          pipelineName: p.name,
          kind: p.monitor.kind,
          severity: p.monitor.severity,
          params: { ...p.monitor.params },
          ...seededMonitor(anchor),
        }],
  );
}
