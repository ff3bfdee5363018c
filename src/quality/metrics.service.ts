import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { decodeCursor, encodeCursor, equals, isUtcTimestamp, isUuid } from '../common/cursor.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';
import { runQuery } from '../database/typed-sql.js';
import type { IdempotencyScope } from '../idempotency/idempotency-scope.decorator.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { OpsMetrics } from '../metrics/ops-metrics.service.js';
import type { ListMetricsQuery } from './dto/list-metrics.query.js';
import type { BatchResponse, MetricResponse } from './dto/metric.response.js';
import type { RecordMetricDto } from './dto/record-metric.dto.js';
import { checkMetric, toRow, type MetricRow } from './metric-input.js';
import { EXISTING_EXECUTIONS, INSERT_METRICS, INSERT_METRICS_RETURNING, listMetrics } from './metrics.sql.js';
import { UnknownExecutionError } from './quality.errors.js';
import { canonicalUuid } from '../common/uuid.js';

export interface MetricPage {
  data: MetricResponse[];
  next_cursor: string | null;
}

@Injectable()
export class MetricsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(OpsMetrics) private readonly ops: OpsMetrics,
  ) {}

  /** Records one metric; with an Idempotency-Key, at most once per API key, route, key and body. */
  async record(metric: RecordMetricDto, idempotency?: IdempotencyScope): Promise<StoredResponse<MetricResponse>> {
    const rows = this.prepare([metric], (i) => (i === 0 ? '' : `/${i}`));
    return this.once(idempotency, metric, rows.length, async (em) => {
      await this.assertExecutionsExist(em, rows, () => '/execution_id');
      const [created] = await INSERT_METRICS_RETURNING.run(em, { rows: JSON.stringify(rows) });
      return { status: 201, body: created };
    });
  }

  /** Records up to 5,000 metrics in one statement: all of them or, if anything is wrong, none. */
  async recordBatch(metrics: RecordMetricDto[], idempotency?: IdempotencyScope): Promise<StoredResponse<BatchResponse>> {
    const rows = this.prepare(metrics, (i) => `/metrics/${i}`);
    return this.once(idempotency, { metrics }, rows.length, async (em) => {
      await this.assertExecutionsExist(em, rows, (i) => `/metrics/${i}/execution_id`);
      await INSERT_METRICS.run(em, { rows: JSON.stringify(rows) });
      return { status: 201, body: { count: rows.length, metric_ids: rows.map((r) => r.metric_id) } };
    });
  }

  private prepare(metrics: RecordMetricDto[], pointer: (index: number) => string): MetricRow[] {
    const now = Date.now();
    const problems = metrics.flatMap((m, i) => checkMetric(m, pointer(i), this.config.metrics, now));
    if (problems.length > 0) throw new InvalidRequestError(...problems);
    return metrics.map((m) => toRow(m, now));
  }

  /** Runs the write (once per Idempotency-Key when given); `points` are counted when written now, after the commit. */
  private async once<T>(idempotency: IdempotencyScope | undefined, body: unknown, points: number, work: (em: EntityManager) => Promise<{ status: number; body: T }>) {
    const result = idempotency === undefined ? { ...(await work(this.em)), replayed: false } : await this.idempotency.run(idempotency, body, work);
    if (!result.replayed) this.ops.metricPointsIngested(points);
    return result;
  }

  private async assertExecutionsExist(em: EntityManager, rows: MetricRow[], pointer: (index: number) => string): Promise<void> {
    const ids = [...new Set(rows.map((r) => r.execution_id).filter((id): id is string => id !== null))];
    if (ids.length === 0) return;
    const found = new Set((await EXISTING_EXECUTIONS.run(em, { ids })).map((r) => r.execution_id));
    const missing: InvalidParam[] = [];
    rows.forEach((row, i) => {
      if (row.execution_id !== null && !found.has(row.execution_id)) missing.push({ in: 'body', pointer: pointer(i), detail: 'no such execution' });
    });
    if (missing.length > 0) throw new UnknownExecutionError(missing);
  }

  async list(query: ListMetricsQuery): Promise<MetricPage> {
    const sort = query.sort ?? '-recorded_at';
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, { s: equals(sort), t: isUtcTimestamp, i: isUuid }) : undefined;
    const page = listMetrics(
      {
        pipelineName: query.pipeline_name,
        metricTypes: query.metric_type,
        executionId: (query.execution_id && canonicalUuid(query.execution_id)),
        recordedAfter: query.recorded_after,
        recordedBefore: query.recorded_before,
        after: cursor && { recordedAt: cursor.t, id: cursor.i },
      },
      sort,
      limit,
    );
    const rows = await runQuery(this.em, page);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, next_cursor: rows.length > limit ? encodeCursor({ s: sort, t: last.recorded_at, i: last.metric_id }) : null };
  }
}
