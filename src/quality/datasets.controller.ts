import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { COMMON_PROBLEMS, NoQuery, Page, problemResponse } from '../http/schemas.js';
import { DatasetsService, type DatasetPage } from './datasets.service.js';
import { DatasetParams, DatasetResponse, ListDatasetsQuery } from './dto/datasets.query.js';

const tags = ['datasets'];

@Controller('v1/datasets')
@RequireScope('read')
export class DatasetsController {
  constructor(@Inject(DatasetsService) private readonly datasets: DatasetsService) {}

  @Get()
  @RouteSchema({
    tags,
    summary: 'Datasets that metrics name, by namespace and name, one keyset page at a time, with their latest metrics and open incidents',
    querystring: ListDatasetsQuery,
    response: { 200: Page(DatasetResponse), ...COMMON_PROBLEMS },
  })
  list(@Query() query: ListDatasetsQuery): Promise<DatasetPage> {
    return this.datasets.list(query);
  }

  @Get(':namespace/:name')
  @RouteSchema({
    tags,
    summary: 'One dataset, its latest metrics and open incidents (namespace and name percent-encoded: postgres%3A%2F%2Fdb%3A5432)',
    params: DatasetParams,
    querystring: NoQuery,
    response: { 200: DatasetResponse, 404: problemResponse('No metric names this dataset.'), ...COMMON_PROBLEMS },
  })
  get(@Param() params: DatasetParams): Promise<DatasetResponse> {
    return this.datasets.get(params.namespace, params.name);
  }
}
