import { Controller, Get, Inject, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { COMMON_PROBLEMS } from '../http/schemas.js';
import { AnomaliesQuery, AnomaliesResponse, LatestQuery, LatestResponse, SeriesQuery, SeriesResponse } from './dto/trends.query.js';
import { TrendsService } from './trends.service.js';

const tags = ['metrics'];

@Controller('v1/metrics')
@RequireScope('read')
export class TrendsController {
  constructor(@Inject(TrendsService) private readonly trends: TrendsService) {}

  @Get('latest')
  @RouteSchema({ tags, summary: 'The newest value of each metric type of a pipeline', querystring: LatestQuery, response: { 200: LatestResponse, ...COMMON_PROBLEMS } })
  latest(@Query() query: LatestQuery): Promise<LatestResponse> {
    return this.trends.latest(query);
  }

  @Get('series')
  @RouteSchema({ tags, summary: 'One metric of a pipeline as one aggregated point per time bucket', querystring: SeriesQuery, response: { 200: SeriesResponse, ...COMMON_PROBLEMS } })
  series(@Query() query: SeriesQuery): Promise<SeriesResponse> {
    return this.trends.series(query);
  }

  @Get('anomalies')
  @RouteSchema({
    tags,
    summary: 'Recent points of one metric scored against their history (rolling z-score)',
    querystring: AnomaliesQuery,
    response: { 200: AnomaliesResponse, ...COMMON_PROBLEMS },
  })
  anomalies(@Query() query: AnomaliesQuery): Promise<AnomaliesResponse> {
    return this.trends.anomalies(query);
  }
}
