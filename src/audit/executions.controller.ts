import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { CreateExecutionDto } from './dto/create-execution.dto.js';
import { ExecutionEventDto } from './dto/execution-event.dto.js';
import { ExecutionEventResponse, ExecutionResponse } from './dto/execution.response.js';
import { ExecutionIdParams, ListEventsQuery } from './dto/execution-params.js';
import { ListExecutionsQuery } from './dto/list-executions.query.js';
import { ExecutionsService, type ExecutionPage } from './executions.service.js';
import { TransitionsService, type EventPage } from './transitions.service.js';
import { canonicalUuid } from '../common/uuid.js';

const notFound = { 404: problemResponse('No execution with this id.') };
const LOCATION = { location: { type: 'string', description: 'The execution: /v1/executions/{execution_id}' } };
/** UUIDs compare case-insensitively; we store and compare them in lower case. */
const idOf = (params: ExecutionIdParams) => canonicalUuid(params.execution_id);
const tags = ['executions'];

@Controller('v1/executions')
@RequireScope('read')
export class ExecutionsController {
  constructor(
    @Inject(ExecutionsService) private readonly executions: ExecutionsService,
    @Inject(TransitionsService) private readonly transitions: TransitionsService,
  ) {}

  @Post()
  @RequireScope('ingest')
  @RouteSchema({
    tags,
    summary: 'Record a run',
    querystring: NoQuery,
    body: CreateExecutionDto,
    response: {
      201: { description: 'Recorded.', headers: LOCATION, ...ExecutionResponse },
      200: { description: 'A retry of an earlier identical request: the existing execution.', headers: LOCATION, ...ExecutionResponse },
      409: problemResponse('execution_id is taken by a different request.'),
      ...COMMON_PROBLEMS,
      ...BODY_PROBLEMS,
    },
  })
  async create(@Body() body: CreateExecutionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ExecutionResponse> {
    const { execution, created } = await this.executions.create(body);
    void reply.status(created ? 201 : 200).header('location', `/v1/executions/${execution.execution_id}`);
    return execution;
  }

  @Get()
  @RouteSchema({
    tags,
    summary: 'List runs, newest first by default, one keyset page at a time',
    querystring: ListExecutionsQuery,
    response: { 200: Page(ExecutionResponse), ...COMMON_PROBLEMS },
  })
  list(@Query() query: ListExecutionsQuery): Promise<ExecutionPage> {
    return this.executions.list(query);
  }

  @Get(':execution_id')
  @RouteSchema({
    tags,
    summary: 'One run',
    params: ExecutionIdParams,
    querystring: NoQuery,
    response: { 200: ExecutionResponse, ...notFound, ...COMMON_PROBLEMS },
  })
  get(@Param() params: ExecutionIdParams): Promise<ExecutionResponse> {
    return this.executions.get(idOf(params));
  }

  @Post(':execution_id/events')
  @RequireScope('ingest')
  @HttpCode(201)
  @RouteSchema({
    tags,
    summary: 'Apply a state transition: start, progress, succeed, fail or cancel',
    params: ExecutionIdParams,
    querystring: NoQuery,
    body: ExecutionEventDto,
    response: {
      201: { description: 'Applied and recorded in the history; the execution as it is now.', ...ExecutionResponse },
      200: { description: 'A retry of the terminal transition that already happened; nothing changed.', ...ExecutionResponse },
      ...notFound,
      409: problemResponse('Not allowed from the current status (current_status says which).'),
      422: problemResponse('completed_at is before started_at.'),
      ...COMMON_PROBLEMS,
      ...BODY_PROBLEMS,
    },
  })
  async transition(
    @Param() params: ExecutionIdParams,
    @Body() body: ExecutionEventDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExecutionResponse> {
    const { execution, applied } = await this.transitions.apply(idOf(params), body);
    void reply.status(applied ? 201 : 200);
    return execution;
  }

  @Get(':execution_id/events')
  @RouteSchema({
    tags,
    summary: "A run's history, oldest first",
    params: ExecutionIdParams,
    querystring: ListEventsQuery,
    response: { 200: Page(ExecutionEventResponse), ...notFound, ...COMMON_PROBLEMS },
  })
  events(@Param() params: ExecutionIdParams, @Query() query: ListEventsQuery): Promise<EventPage> {
    return this.transitions.events(idOf(params), query);
  }
}
