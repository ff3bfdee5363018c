import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { assertReportedTimes } from '../common/time-bounds.js';
import { decodeCursor, encodeCursor, equals, isUtcTimestamp, isUuid } from '../common/cursor.js';
import { runQuery } from '../database/typed-sql.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { ExecutionIdConflictError, ExecutionNotFoundError } from './audit.errors.js';
import type { CreateExecutionDto } from './dto/create-execution.dto.js';
import type { ExecutionResponse } from './dto/execution.response.js';
import type { ListExecutionsQuery } from './dto/list-executions.query.js';
import { sameJson } from '../common/json.js';
import type { ExecutionStatus } from './execution-status.js';
import { INSERT_EXECUTION, listExecutions, SELECT_EXECUTION, SELECT_EXECUTION_WITH_CREATE } from './executions.sql.js';
import { canonicalUuid } from '../common/uuid.js';
import { OpsMetrics } from '../metrics/ops-metrics.service.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';

export interface CreateResult {
  execution: ExecutionResponse;
  created: boolean;
}

export interface ExecutionPage {
  data: ExecutionResponse[];
  next_cursor: string | null;
}

/** UUIDs compare case-insensitively: ids are kept in lower case, in the row and in the stored request. */
function canonicalIds(request: CreateExecutionDto): CreateExecutionDto {
  const body = { ...request };
  if (body.execution_id) body.execution_id = canonicalUuid(body.execution_id);
  if (body.parent_execution_id) body.parent_execution_id = canonicalUuid(body.parent_execution_id);
  return body;
}

/** max_attempts counts every attempt, so it cannot be below the attempt being recorded. */
function assertAttempts(request: CreateExecutionDto): void {
  if (request.max_attempts !== undefined && request.max_attempts < (request.attempt ?? 1)) {
    throw new InvalidRequestError({ in: 'body', pointer: '/max_attempts', detail: `must be at least attempt (${request.attempt ?? 1})` });
  }
}

@Injectable()
export class ExecutionsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpsMetrics) private readonly ops: OpsMetrics,
  ) {}

  /**
   * Records a run. With a client-chosen execution_id, repeating the same request is safe: it answers the
   * existing execution (created: false); the same id with another body is a conflict.
   */
  async create(request: CreateExecutionDto): Promise<CreateResult> {
    assertReportedTimes({ '/started_at': request.started_at, '/nominal_time': request.nominal_time }, Date.now(), this.config.metrics.maxFutureSkewMs);
    assertAttempts(request);
    const body = canonicalIds(request);
    const id = body.execution_id ?? uuidV7();
    const rows = await INSERT_EXECUTION.run(this.em, {
      id,
      pipelineName: body.pipeline_name,
      status: (body.status ?? 'running') as ExecutionStatus, // the schema allows pending or running
      startedAt: body.started_at ?? new Date().toISOString(),
      inputFile: body.input_file ?? null,
      attempt: body.attempt ?? 1,
      rowCounts: JSON.stringify(body.row_counts ?? {}),
      parentId: body.parent_execution_id ?? null,
      maxAttempts: body.max_attempts ?? null,
      nominalTime: body.nominal_time ?? null,
      entryId: uuidV7(),
      payload: JSON.stringify(body),
    });
    if (rows.length === 1) {
      this.ops.executionCreated();
      return { execution: rows[0], created: true };
    }
    const [existing] = await SELECT_EXECUTION_WITH_CREATE.run(this.em, { id });
    if (!existing) throw new ExecutionIdConflictError(id); // deleted between the two statements
    const { create_payload: original, ...execution } = existing;
    if (!sameJson(original, body)) throw new ExecutionIdConflictError(id);
    return { execution, created: false };
  }

  async get(id: string): Promise<ExecutionResponse> {
    const [row] = await SELECT_EXECUTION.run(this.em, { id });
    if (!row) throw new ExecutionNotFoundError(id);
    return row;
  }

  async list(query: ListExecutionsQuery): Promise<ExecutionPage> {
    const sort = query.sort ?? '-started_at';
    const limit = query.limit ?? 50;
    let after: { startedAt: string; id: string } | undefined;
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, { s: equals(sort), t: isUtcTimestamp, i: isUuid });
      after = { startedAt: cursor.t, id: cursor.i };
    }
    const page = listExecutions(
      {
        pipelineName: query.pipeline_name,
        statuses: query.status,
        startedAfter: query.started_after,
        startedBefore: query.started_before,
        hasError: query.has_error,
        inputFile: query.input_file,
        parentExecutionId: (query.parent_execution_id && canonicalUuid(query.parent_execution_id)),
        after,
      },
      sort,
      limit,
    );
    const rows = await runQuery(this.em, page);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    const next = rows.length > limit ? encodeCursor({ s: sort, t: last.started_at, i: last.execution_id }) : null;
    return { data, next_cursor: next };
  }
}
