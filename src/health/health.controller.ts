import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { HealthCheckService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { Type } from '@sinclair/typebox';
import { Public } from '../auth/access.decorator.js';
import { problemResponse } from '../http/schemas.js';
import { AlertingHealthIndicator } from './alerting.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { NotReadyError } from './health.errors.js';
import { ShutdownService } from './shutdown.service.js';

const tags = ['health'];

@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(DatabaseHealthIndicator) private readonly database: DatabaseHealthIndicator,
    @Inject(AlertingHealthIndicator) private readonly alerting: AlertingHealthIndicator,
    @Inject(ShutdownService) private readonly shutdown: ShutdownService,
  ) {}

  /** The process is up and serving HTTP. Never touches the database, so a database outage cannot restart us. */
  @Get('live')
  @RouteSchema({ tags, summary: 'Liveness: the process serves HTTP', response: { 200: Type.Object({ status: Type.Literal('ok') }) } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic: not shutting down, PostgreSQL answers through the pool and no migration is pending;
   * 503 problem otherwise. `alerting` details the last monitor evaluation and the outbox backlog, and never fails.
   */
  @Get('ready')
  @RouteSchema({
    tags,
    summary: 'Readiness: not shutting down, PostgreSQL answers through the pool and no migration is pending',
    response: {
      200: Type.Object({ status: Type.String(), info: Type.Any(), error: Type.Any(), details: Type.Any() }),
      503: problemResponse('Not ready; `checks` says which check failed and its error code.'),
    },
  })
  async ready(): Promise<HealthCheckResult> {
    // Checked first and without the database: the answer must flip at once when shutdown begins.
    if (this.shutdown.shuttingDown) throw new NotReadyError({ shutdown: { status: 'down', reason: 'SHUTTING_DOWN' } }, 'shutting down');
    try {
      return await this.health.check([
        () => this.database.ping('database'),
        () => this.database.migrations('migrations'),
        () => this.alerting.state('alerting'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      throw new NotReadyError(result.details as HealthIndicatorResult);
    }
  }
}
