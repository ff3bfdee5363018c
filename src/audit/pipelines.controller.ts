import { Body, Controller, Get, Inject, Param, Put, Query, Res } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { BODY_PROBLEMS, COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { PutPipelineDto } from './dto/pipeline-metadata.js';
import { PipelineSummaryResponse } from './dto/pipeline-summary.response.js';
import { ListPipelinesQuery, PipelineParams, PipelineQuery } from './dto/pipeline.query.js';
import { PipelinesService, type PipelinePage } from './pipelines.service.js';

const tags = ['pipelines'];

@Controller('v1/pipelines')
@RequireScope('read')
export class PipelinesController {
  constructor(@Inject(PipelinesService) private readonly pipelines: PipelinesService) {}

  @Get()
  @RouteSchema({
    tags,
    summary: 'Pipelines in name order, one keyset page at a time, with their health, filtered',
    querystring: ListPipelinesQuery,
    response: { 200: Page(PipelineSummaryResponse), ...COMMON_PROBLEMS },
  })
  list(@Query() query: ListPipelinesQuery): Promise<PipelinePage> {
    return this.pipelines.list(query);
  }

  @Get(':pipeline_name')
  @RouteSchema({
    tags,
    summary: "One pipeline's metadata and health over a window",
    params: PipelineParams,
    querystring: PipelineQuery,
    response: { 200: PipelineSummaryResponse, 404: problemResponse('The pipeline was neither declared nor run.'), ...COMMON_PROBLEMS },
  })
  get(@Param() params: PipelineParams, @Query() query: PipelineQuery): Promise<PipelineSummaryResponse> {
    return this.pipelines.get(params.pipeline_name, query.window);
  }

  @Put(':pipeline_name')
  @RequireScope('manage')
  @RouteSchema({
    tags,
    summary: "Declare a pipeline or replace its metadata (fields left out are cleared)",
    params: PipelineParams,
    querystring: NoQuery,
    body: PutPipelineDto,
    response: {
      201: { description: 'Declared: the pipeline did not exist.', ...PipelineSummaryResponse },
      200: { description: 'Its metadata replaced.', ...PipelineSummaryResponse },
      ...COMMON_PROBLEMS,
      ...BODY_PROBLEMS,
    },
  })
  async put(@Param() params: PipelineParams, @Body() body: PutPipelineDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PipelineSummaryResponse> {
    const { pipeline, created } = await this.pipelines.put(params.pipeline_name, body);
    void reply.status(created ? 201 : 200);
    return pipeline;
  }
}
