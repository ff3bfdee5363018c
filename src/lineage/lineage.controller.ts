import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import type { RouteLimits } from '../http/route-limits.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, problemResponse } from '../http/schemas.js';
import { BATCH_MAX_EVENTS, LineageBatchResponse, LineageEventResponse, OpenLineageBatchBody, OpenLineageEventBody } from './dto/lineage.dto.js';
import { LineageService } from './lineage.service.js';
import { METRICS_PER_EVENT_MAX, METRICS_PER_REQUEST_MAX } from './metric-caps.js';

const tags = ['openlineage'];
const INVALID = {
  400: problemResponse(
    'Not a valid OpenLineage event (the 2-0-2 schema and its facets, with the leniencies docs/openlineage.md lists), or not JSON. `errors` has a JSON pointer for each finding.',
  ),
};
const TOO_MANY_METRICS = `its quality facets would record more than ${METRICS_PER_EVENT_MAX} metrics per event or ${METRICS_PER_REQUEST_MAX} per request (LINEAGE.TOO_MANY_METRICS, naming limit, per and event_index); nothing written`;
const BATCH_LIMITS: RouteLimits = { largeBody: true, maxItems: { limit: BATCH_MAX_EVENTS } };

/** The paths OpenLineage's HTTP transport posts to (its default endpoint is api/v1/lineage). */
@Controller('api/v1/lineage')
@RequireScope('ingest')
export class LineageController {
  constructor(@Inject(LineageService) private readonly lineage: LineageService) {}

  @Post()
  @RouteSchema({
    tags,
    summary: 'Receive one OpenLineage event: run events record and move executions and their quality metrics',
    querystring: NoQuery,
    body: OpenLineageEventBody,
    response: {
      201: { description: 'Recorded (see effect).', ...LineageEventResponse },
      200: { description: 'The same event was received before: nothing written; the original.', ...LineageEventResponse },
      ...COMMON_PROBLEMS,
      ...INVALID,
      ...BODY_PROBLEMS,
      409: problemResponse(
        'The run belongs to another pipeline (LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE, naming run_id and its pipeline_name), or the parent run descends from this run (LINEAGE.PARENT_CYCLE); nothing written.',
      ),
      413: problemResponse(`The body is larger than the limit, or ${TOO_MANY_METRICS}.`),
    },
  })
  async receive(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<LineageEventResponse> {
    const { status, body: recorded } = await this.lineage.ingest(body);
    void reply.status(status);
    return recorded;
  }

  @Post('batch')
  @HttpCode(200)
  @RouteConfig(BATCH_LIMITS)
  @RouteSchema({
    tags,
    summary: `Receive up to ${BATCH_MAX_EVENTS} OpenLineage events: each recorded or refused on its own`,
    querystring: NoQuery,
    body: OpenLineageBatchBody,
    response: {
      200: {
        description: 'Every valid event recorded (duplicates included); invalid ones, and ones the recorded runs refuse (409 alone), listed in failed_events.',
        ...LineageBatchResponse,
      },
      ...COMMON_PROBLEMS,
      400: problemResponse('No event of the batch is valid (nothing was written), or the body is not a JSON array.'),
      413: problemResponse(`More than ${BATCH_MAX_EVENTS} events, a body over METRICS_BATCH_BODY_LIMIT_BYTES, or ${TOO_MANY_METRICS}.`),
      415: BODY_PROBLEMS[415],
    },
  })
  receiveBatch(@Body() body: unknown[]): Promise<LineageBatchResponse> {
    return this.lineage.ingestBatch(body);
  }
}
