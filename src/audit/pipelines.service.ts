import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { windowInterval } from '../common/window.js';
import { PipelineNotFoundError } from './audit.errors.js';
import type { PipelineSummaryResponse } from './dto/pipeline-summary.response.js';
import type { ExecutionStatus } from './execution-status.js';
import { ALL_PIPELINES_SUMMARY, ONE_PIPELINE_SUMMARY } from './pipelines.sql.js';

type SummaryRow = Awaited<ReturnType<typeof ALL_PIPELINES_SUMMARY.run>>[number];

function toSummary(row: SummaryRow, window: string): PipelineSummaryResponse {
  const finished = row.succeeded + row.failed + row.cancelled;
  return {
    pipeline_name: row.pipeline_name,
    window,
    last_execution: {
      execution_id: row.last_execution_id,
      status: row.last_status as ExecutionStatus,
      started_at: row.last_started_at,
    },
    last_success_at: row.last_success_at,
    counts: { pending: row.pending, running: row.running, succeeded: row.succeeded, failed: row.failed, cancelled: row.cancelled },
    success_rate: finished === 0 ? null : row.succeeded / finished,
    duration_ms: { p50: row.p50_ms, p95: row.p95_ms },
  };
}

@Injectable()
export class PipelinesService {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  async list(window = '7d'): Promise<PipelineSummaryResponse[]> {
    const rows = await ALL_PIPELINES_SUMMARY.run(this.em, { window: windowInterval(window, 'window') });
    return rows.map((row) => toSummary(row, window));
  }

  async get(name: string, window = '7d'): Promise<PipelineSummaryResponse> {
    const [row] = await ONE_PIPELINE_SUMMARY.run(this.em, { name, window: windowInterval(window, 'window') });
    if (!row) throw new PipelineNotFoundError(name);
    return toSummary(row, window);
  }
}
