import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { Type } from '@sinclair/typebox';
import { RequireScope } from '../auth/access.decorator.js';
import { COMMON_PROBLEMS, problemResponse } from '../http/schemas.js';
import { PipelineSummaryResponse } from './dto/pipeline-summary.response.js';
import { PipelineParams, PipelineQuery } from './dto/pipeline.query.js';
import { PipelinesService } from './pipelines.service.js';

const tags = ['pipelines'];

@Controller('v1/pipelines')
@RequireScope('read')
export class PipelinesController {
  constructor(@Inject(PipelinesService) private readonly pipelines: PipelinesService) {}

  @Get()
  @RouteSchema({
    tags,
    summary: 'Every pipeline that has recorded a run, with its health over a window',
    querystring: PipelineQuery,
    response: { 200: Type.Object({ data: Type.Array(PipelineSummaryResponse) }), ...COMMON_PROBLEMS },
  })
  async list(@Query() query: PipelineQuery): Promise<{ data: PipelineSummaryResponse[] }> {
    return { data: await this.pipelines.list(query.window) };
  }

  @Get(':pipeline_name')
  @RouteSchema({
    tags,
    summary: "One pipeline's health over a window",
    params: PipelineParams,
    querystring: PipelineQuery,
    response: { 200: PipelineSummaryResponse, 404: problemResponse('No run recorded for this pipeline.'), ...COMMON_PROBLEMS },
  })
  get(@Param() params: PipelineParams, @Query() query: PipelineQuery): Promise<PipelineSummaryResponse> {
    return this.pipelines.get(params.pipeline_name, query.window);
  }
}
