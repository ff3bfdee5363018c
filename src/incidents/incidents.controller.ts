import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { ApiKeyId } from '../auth/api-key-id.decorator.js';
import { canonicalUuid } from '../common/uuid.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { IncidentDetailResponse, IncidentIdParams, IncidentResponse, ListIncidentsQuery, SnoozeDto } from './dto/incident.dto.js';
import { IncidentActionsService } from './incident-actions.service.js';
import type { ManualAction } from './incident-transitions.js';
import { IncidentsListService, type IncidentPage } from './incidents-list.service.js';

const tags = ['incidents'];
const notFound = { 404: problemResponse('No incident with this id.') };
const refused = { 409: problemResponse('Not allowed from the current status (current_status says which), or a newer incident of the same problem is open.') };
const idOf = (params: IncidentIdParams) => canonicalUuid(params.incident_id);
const action = (summary: string) => ({
  tags,
  summary,
  params: IncidentIdParams,
  querystring: NoQuery,
  response: { 200: IncidentDetailResponse, ...notFound, ...refused, ...COMMON_PROBLEMS },
});

@Controller('v1/incidents')
@RequireScope('read')
export class IncidentsController {
  constructor(
    @Inject(IncidentsListService) private readonly incidents: IncidentsListService,
    @Inject(IncidentActionsService) private readonly actions: IncidentActionsService,
  ) {}

  @Get()
  @RouteSchema({ tags, summary: 'List incidents, newest first; by default the unresolved ones', querystring: ListIncidentsQuery, response: { 200: Page(IncidentResponse), ...COMMON_PROBLEMS } })
  list(@Query() query: ListIncidentsQuery): Promise<IncidentPage> {
    return this.incidents.list(query);
  }

  @Get(':incident_id')
  @RouteSchema({ tags, summary: 'One incident with its timeline, oldest entry first', params: IncidentIdParams, querystring: NoQuery, response: { 200: IncidentDetailResponse, ...notFound, ...COMMON_PROBLEMS } })
  get(@Param() params: IncidentIdParams): Promise<IncidentDetailResponse> {
    return this.actions.get(idOf(params));
  }

  @Post(':incident_id/acknowledge')
  @RequireScope('manage')
  @HttpCode(200)
  @RouteSchema(action('Acknowledge: someone is on it (re-fires keep it acknowledged)'))
  acknowledge(@Param() params: IncidentIdParams, @ApiKeyId() key: string): Promise<IncidentDetailResponse> {
    return this.act(params, 'acknowledge', key);
  }

  @Post(':incident_id/resolve')
  @RequireScope('manage')
  @HttpCode(200)
  @RouteSchema(action('Resolve by hand'))
  resolve(@Param() params: IncidentIdParams, @ApiKeyId() key: string): Promise<IncidentDetailResponse> {
    return this.act(params, 'resolve', key);
  }

  @Post(':incident_id/reopen')
  @RequireScope('manage')
  @HttpCode(200)
  @RouteSchema(action('Reopen a resolved incident, or un-acknowledge / un-snooze one'))
  reopen(@Param() params: IncidentIdParams, @ApiKeyId() key: string): Promise<IncidentDetailResponse> {
    return this.act(params, 'reopen', key);
  }

  @Post(':incident_id/snooze')
  @RequireScope('manage')
  @HttpCode(200)
  @RouteSchema({ ...action('Snooze until a time, or for an ISO 8601 duration'), body: SnoozeDto, response: { ...action('').response, ...BODY_PROBLEMS } })
  snooze(@Param() params: IncidentIdParams, @Body() body: SnoozeDto, @ApiKeyId() key: string): Promise<IncidentDetailResponse> {
    return this.actions.act(idOf(params), 'snooze', key, this.actions.snoozeUntil(body));
  }

  private act(params: IncidentIdParams, name: ManualAction, key: string): Promise<IncidentDetailResponse> {
    return this.actions.act(idOf(params), name, key);
  }
}
