import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { windowInterval } from '../common/window.js';
import { CLOCK, systemClock, type Clock } from '../jobs/clock.js';
import { PipelineNotFoundError } from './audit.errors.js';
import type { PutPipelineDto } from './dto/pipeline-metadata.js';
import type { ListPipelinesQuery } from './dto/pipeline.query.js';
import type { PipelineSummaryResponse } from './dto/pipeline-summary.response.js';
import type { ExecutionStatus } from './execution-status.js';
import { healthOf, nextExpectedAt, type HealthInputs } from './pipeline-health.js';
import { metadataOf, scheduleOf } from './pipeline-metadata.js';
import { UPSERT_PIPELINE } from './pipeline-registry.sql.js';
import { pipelineListing, type PipelineListShape, type PipelineListValues, type PipelineRow } from './pipelines.sql.js';

export interface PipelinePage {
  data: PipelineSummaryResponse[];
  next_cursor: string | null;
}

const NO_FILTERS: Omit<PipelineListShape, 'one' | 'after'> = { owner: false, team: false, tag: false, q: false, archived: 'all', health: null };

/** A name prefix as a LIKE pattern: \, % and _ match themselves. */
const prefixPattern = (q: string) => `${q.replace(/[\\%_]/g, '\\$&')}%`;

function toResponse(row: PipelineRow, window: string, now: Date): PipelineSummaryResponse {
  const schedule = scheduleOf(row);
  const inputs: HealthInputs = {
    schedule:
      row.schedule_cron !== null
        ? { cron: row.schedule_cron, timezone: row.schedule_timezone ?? 'UTC' }
        : row.schedule_every_ms !== null
          ? { everyMs: row.schedule_every_ms }
          : null,
    lastRun: row.last_execution_id ? { status: row.last_status as string, attempt: row.last_attempt as number, maxAttempts: row.last_max_attempts } : null,
    lastCoveredAt: row.last_covered_at,
    since: row.first_seen_at ?? row.created_at,
  };
  const next = nextExpectedAt(inputs);
  const finished = row.succeeded + row.failed + row.cancelled;
  const last = row.last_execution_id
    ? {
        execution_id: row.last_execution_id,
        status: row.last_status as ExecutionStatus,
        started_at: row.last_started_at as string,
        completed_at: row.last_completed_at,
        duration_ms: row.last_completed_at === null ? null : Date.parse(row.last_completed_at) - Date.parse(row.last_started_at as string),
      }
    : null;
  return {
    pipeline_name: row.name,
    description: row.description,
    owner: row.owner,
    team: row.team,
    tags: row.tags,
    links: row.links as PipelineSummaryResponse['links'],
    schedule,
    archived: row.archived_at !== null,
    archived_at: row.archived_at,
    first_seen_at: row.first_seen_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    health: healthOf(inputs, next, now),
    next_expected_at: next?.toISOString() ?? null,
    last_covered_at: row.last_covered_at,
    window,
    last_execution: last,
    last_success_at: row.last_success_at,
    counts: { pending: row.pending, running: row.running, succeeded: row.succeeded, failed: row.failed, cancelled: row.cancelled },
    success_rate: finished === 0 ? null : row.succeeded / finished,
    duration_ms: { p50: row.p50_ms, p95: row.p95_ms },
    open_incidents: row.open_incidents,
  };
}

/** The pipelines registry: metadata set by PUT, and each pipeline's health from its runs. */
@Injectable()
export class PipelinesService {
  private readonly clock: Clock;

  // The CLI wires AuditModule without the jobs module: it reads no health, the wall clock will do there.
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /**
   * One page in name order. The SQL applies every filter but one case: whether a pipeline with a cron
   * schedule is late (its next occurrence comes from croner), decided here; so for health=late|healthy a
   * page may take more than one statement, each reading the next rows after the last one examined.
   */
  async list(query: ListPipelinesQuery): Promise<PipelinePage> {
    const window = query.window ?? '7d';
    const limit = query.limit ?? 50;
    const now = this.clock.now();
    const values: PipelineListValues = {
      name: '',
      owner: query.owner ?? '',
      team: query.team ?? '',
      tag: query.tag ?? '',
      pattern: prefixPattern(query.q ?? ''),
      after: query.cursor ? decodeCursor(query.cursor, { n: (v) => v.length > 0 }).n : '',
      fetch: limit + 1,
      window: windowInterval(window, 'window'),
      now: now.toISOString(),
    };
    const shape = {
      one: false,
      owner: query.owner !== undefined,
      team: query.team !== undefined,
      tag: query.tag !== undefined,
      q: query.q !== undefined,
      archived: query.archived ?? 'false',
      health: query.health ?? null,
    };
    const found: PipelineSummaryResponse[] = [];
    for (let after = query.cursor !== undefined; ; after = true) {
      const rows = await pipelineListing({ ...shape, after }).run(this.em, values);
      for (const row of rows) {
        const pipeline = toResponse(row, window, now);
        if (!query.health || pipeline.health === query.health) found.push(pipeline);
        if (found.length > limit) break;
      }
      if (found.length > limit || rows.length < values.fetch) break;
      values.after = rows[rows.length - 1].name;
    }
    const data = found.slice(0, limit);
    const next = found.length > limit ? encodeCursor({ n: data[data.length - 1].pipeline_name }) : null;
    return { data, next_cursor: next };
  }

  async get(name: string, window = '7d'): Promise<PipelineSummaryResponse> {
    const values = { name, owner: '', team: '', tag: '', pattern: '', after: '', fetch: 1, window: windowInterval(window, 'window'), now: '' };
    const [row] = await pipelineListing({ ...NO_FILTERS, one: true, after: false }).run(this.em, values);
    if (!row) throw new PipelineNotFoundError(name);
    return toResponse(row, window, this.clock.now());
  }

  /** Declares the pipeline or replaces its metadata; `created` when the pipeline did not exist. */
  async put(name: string, body: PutPipelineDto): Promise<{ pipeline: PipelineSummaryResponse; created: boolean }> {
    const [row] = await UPSERT_PIPELINE.run(this.em, metadataOf(name, body));
    return { pipeline: await this.get(name), created: row.created };
  }
}
