import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { MigratorModule } from './migrator/migrator.module.js';
import { HealthModule } from './health/health.module.js';
import { AuditModule } from './audit/audit.module.js';
import { QualityModule } from './quality/quality.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { AuthModule } from './auth/auth.module.js';
import { LineageModule } from './lineage/lineage.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MetricsEndpointModule } from './metrics/metrics-endpoint.module.js';
import { MonitorsModule } from './monitors/monitors.module.js';
import { MonitorsEvaluationModule } from './monitors/evaluation/monitors-evaluation.module.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { ProblemFilter } from './http/problem.filter.js';

@Module({})
export class AppModule {
  /** The config is loaded (and the embedded database started) before Nest exists, then handed in here. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, MigratorModule, JobsModule, MetricsModule, MetricsEndpointModule, HealthModule, AuthModule, AuditModule, QualityModule, LineageModule, MonitorsModule, IncidentsModule,
        MonitorsEvaluationModule.register({ imports: [IncidentsModule], sink: IncidentsService }),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
