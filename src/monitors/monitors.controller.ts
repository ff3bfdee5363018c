import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { canonicalUuid } from '../common/uuid.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { CreateMonitorDto, ListMonitorsQuery, MonitorIdParams, MonitorResponse, UpdateMonitorDto } from './dto/monitor.dto.js';
import { MonitorsService, type MonitorPage } from './monitors.service.js';

const tags = ['monitors'];
const notFound = { 404: problemResponse('No monitor with this id.') };
const nameTaken = { 409: problemResponse('An enabled monitor already has this name.') };

/** Monitors on runs (docs/monitors.md): reading needs `read`, changing needs `manage`. */
@Controller('v1/monitors')
@RequireScope('read')
export class MonitorsController {
  constructor(@Inject(MonitorsService) private readonly monitors: MonitorsService) {}

  @Post()
  @RequireScope('manage')
  @HttpCode(201)
  @RouteSchema({
    tags,
    summary: 'Create a monitor; params are validated for its kind and stored canonical',
    querystring: NoQuery,
    body: CreateMonitorDto,
    response: { 201: MonitorResponse, ...nameTaken, ...COMMON_PROBLEMS, ...BODY_PROBLEMS },
  })
  create(@Body() body: CreateMonitorDto, @Req() request: FastifyRequest): Promise<MonitorResponse> {
    return this.monitors.create(body, request.principal?.id ?? null);
  }

  @Get()
  @RouteSchema({ tags, summary: 'List monitors (enabled ones unless enabled=false), in creation order, one keyset page at a time', querystring: ListMonitorsQuery, response: { 200: Page(MonitorResponse), ...COMMON_PROBLEMS } })
  list(@Query() query: ListMonitorsQuery): Promise<MonitorPage> {
    return this.monitors.list(query);
  }

  @Get(':id')
  @RouteSchema({ tags, summary: 'One monitor, enabled or not', params: MonitorIdParams, querystring: NoQuery, response: { 200: MonitorResponse, ...notFound, ...COMMON_PROBLEMS } })
  get(@Param() params: MonitorIdParams): Promise<MonitorResponse> {
    return this.monitors.get(canonicalUuid(params.id));
  }

  @Patch(':id')
  @RequireScope('manage')
  @RouteSchema({
    tags,
    summary: 'Change a monitor: name, severity, params (whole), resolve_after, enabled',
    params: MonitorIdParams,
    querystring: NoQuery,
    body: UpdateMonitorDto,
    response: { 200: MonitorResponse, ...notFound, ...nameTaken, ...COMMON_PROBLEMS, ...BODY_PROBLEMS },
  })
  update(@Param() params: MonitorIdParams, @Body() body: UpdateMonitorDto): Promise<MonitorResponse> {
    return this.monitors.update(canonicalUuid(params.id), body);
  }

  @Delete(':id')
  @RequireScope('manage')
  @RouteSchema({ tags, summary: 'Disable a monitor; it and its incidents stay readable', params: MonitorIdParams, querystring: NoQuery, response: { 200: MonitorResponse, ...notFound, ...COMMON_PROBLEMS } })
  disable(@Param() params: MonitorIdParams): Promise<MonitorResponse> {
    return this.monitors.disable(canonicalUuid(params.id));
  }
}
