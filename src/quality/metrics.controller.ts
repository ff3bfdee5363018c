import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import type { RouteLimits } from '../http/route-limits.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { Idempotency, type IdempotencyScope } from '../idempotency/idempotency-scope.decorator.js';
import type { StoredResponse } from '../idempotency/idempotency.service.js';
import { ListMetricsQuery } from './dto/list-metrics.query.js';
import { BatchResponse, MetricResponse } from './dto/metric.response.js';
import { BATCH_MAX_ITEMS, IdempotencyHeaders, RecordMetricDto, RecordMetricsBatchDto } from './dto/record-metric.dto.js';
import { MetricsService, type MetricPage } from './metrics.service.js';

const tags = ['metrics'];
const REPLAYED = { 'idempotent-replayed': { type: 'string', description: '"true" when this is the stored answer to an earlier request with the same key.' } };
const WRITE_PROBLEMS = {
  422: problemResponse('An execution_id that does not exist (errors lists each), or an Idempotency-Key reused with another body.'),
  ...COMMON_PROBLEMS,
  ...BODY_PROBLEMS,
};
const BATCH_LIMITS: RouteLimits = { largeBody: true, maxItems: { field: 'metrics', limit: BATCH_MAX_ITEMS } };

function send<T>(reply: FastifyReply, result: StoredResponse<T>): T {
  void reply.status(result.status);
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return result.body;
}

@Controller('v1/metrics')
@RequireScope('read')
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  @Post()
  @RequireScope('ingest')
  @RouteSchema({
    tags,
    summary: 'Record one metric',
    headers: IdempotencyHeaders,
    querystring: NoQuery,
    body: RecordMetricDto,
    response: { 201: { description: 'Recorded.', headers: REPLAYED, ...MetricResponse }, ...WRITE_PROBLEMS },
  })
  async record(
    @Body() body: RecordMetricDto,
    @Idempotency() idempotency: IdempotencyScope | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MetricResponse> {
    return send(reply, await this.metrics.record(body, idempotency));
  }

  @Post('batch')
  @RequireScope('ingest')
  @RouteConfig(BATCH_LIMITS)
  @RouteSchema({
    tags,
    summary: `Record up to ${BATCH_MAX_ITEMS} metrics atomically: all or none`,
    headers: IdempotencyHeaders,
    querystring: NoQuery,
    body: RecordMetricsBatchDto,
    response: {
      201: { description: 'All recorded.', headers: REPLAYED, ...BatchResponse },
      ...WRITE_PROBLEMS,
      413: problemResponse(`More than ${BATCH_MAX_ITEMS} metrics, or a body over METRICS_BATCH_BODY_LIMIT_BYTES.`),
    },
  })
  async recordBatch(
    @Body() body: RecordMetricsBatchDto,
    @Idempotency() idempotency: IdempotencyScope | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchResponse> {
    return send(reply, await this.metrics.recordBatch(body.metrics, idempotency));
  }

  @Get()
  @RouteSchema({
    tags,
    summary: 'List metrics, newest first by default, one keyset page at a time',
    querystring: ListMetricsQuery,
    response: { 200: Page(MetricResponse), ...COMMON_PROBLEMS },
  })
  list(@Query() query: ListMetricsQuery): Promise<MetricPage> {
    return this.metrics.list(query);
  }
}
