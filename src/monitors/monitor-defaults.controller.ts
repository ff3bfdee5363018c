import { Body, Controller, Delete, Get, HttpCode, Inject, Put, Query, Req } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Nullable, problemResponse } from '../http/schemas.js';
import {
  EffectiveDefaultQuery,
  EffectiveDefaultResponse,
  ListMonitorDefaultsQuery,
  MonitorDefaultKey,
  MonitorDefaultResponse,
  SetMonitorDefaultDto,
} from './dto/monitor-default.dto.js';
import { MonitorDefaultsService } from './monitor-defaults.service.js';
import { MonitorDefaultNotFoundError } from './monitors.errors.js';

const tags = ['monitors'];

/** Switches of the built-in run_failed monitor, per namespace or pipeline; names go in bodies and queries, since they hold `/`. */
@Controller('v1/monitor-defaults')
@RequireScope('read')
export class MonitorDefaultsController {
  constructor(@Inject(MonitorDefaultsService) private readonly defaults: MonitorDefaultsService) {}

  @Put()
  @RequireScope('manage')
  @RouteSchema({ tags, summary: 'Turn the default run_failed monitor on or off for a namespace or a pipeline', querystring: NoQuery, body: SetMonitorDefaultDto, response: { 200: MonitorDefaultResponse, ...COMMON_PROBLEMS, ...BODY_PROBLEMS } })
  set(@Body() body: SetMonitorDefaultDto, @Req() request: FastifyRequest): Promise<MonitorDefaultResponse> {
    return this.defaults.set(body, request.principal?.id ?? null);
  }

  @Get()
  @RouteSchema({
    tags,
    summary: 'The switches, a page at a time in (scope, name) order',
    querystring: ListMonitorDefaultsQuery,
    response: { 200: Type.Object({ data: Type.Array(MonitorDefaultResponse), next_cursor: Nullable(Type.String()) }), ...COMMON_PROBLEMS },
  })
  list(@Query() query: ListMonitorDefaultsQuery): Promise<{ data: MonitorDefaultResponse[]; next_cursor: string | null }> {
    return this.defaults.list(query);
  }

  @Get('effective')
  @RouteSchema({ tags, summary: 'Whether the default run_failed monitor applies to a pipeline, and what decided it', querystring: EffectiveDefaultQuery, response: { 200: EffectiveDefaultResponse, ...COMMON_PROBLEMS } })
  effective(@Query() query: EffectiveDefaultQuery): Promise<EffectiveDefaultResponse> {
    return this.defaults.effective(query.pipeline_name);
  }

  @Delete()
  @RequireScope('manage')
  @HttpCode(204)
  @RouteSchema({ tags, summary: 'Remove a switch: the namespace, then MONITORS_DEFAULT_RUN_FAILED decide again', querystring: MonitorDefaultKey, response: { 204: Type.Null({ description: 'Removed.' }), 404: problemResponse('No such switch.'), ...COMMON_PROBLEMS } })
  async clear(@Query() query: MonitorDefaultKey): Promise<void> {
    if (!(await this.defaults.clear(query))) throw new MonitorDefaultNotFoundError(query.scope, query.name);
  }
}
