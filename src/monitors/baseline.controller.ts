import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { RequireScope } from '../auth/access.decorator.js';
import { ApiKeyId } from '../auth/api-key-id.decorator.js';
import { canonicalUuid } from '../common/uuid.js';
import { COMMON_PROBLEMS, NoQuery, problemResponse } from '../http/schemas.js';
import { IncidentDetailResponse, IncidentIdParams } from '../incidents/dto/incident.dto.js';
import { BaselineService } from './baseline.service.js';

/** The incident action that belongs to the data monitors: accept an anomaly's value as the new baseline. */
@Controller('v1/incidents')
@RequireScope('manage')
export class BaselineController {
  constructor(@Inject(BaselineService) private readonly baseline: BaselineService) {}

  @Post(':incident_id/accept-baseline')
  @HttpCode(200)
  @RouteSchema({
    tags: ['incidents'],
    summary: 'metric_anomaly only: the anomalous point becomes the start of its series\' training (it stops re-firing); resolves the incident',
    params: IncidentIdParams,
    querystring: NoQuery,
    response: {
      200: IncidentDetailResponse,
      404: problemResponse('No incident with this id.'),
      409: problemResponse('Not a metric_anomaly incident (INCIDENTS.NOT_ANOMALY).'),
      ...COMMON_PROBLEMS,
    },
  })
  accept(@Param() params: IncidentIdParams, @ApiKeyId() key: string): Promise<IncidentDetailResponse> {
    return this.baseline.accept(canonicalUuid(params.incident_id), key);
  }
}
