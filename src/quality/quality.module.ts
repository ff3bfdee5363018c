import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { DataQualityMetric } from './data-quality-metric.entity.js';
import { DatasetsController } from './datasets.controller.js';
import { DatasetsService } from './datasets.service.js';
import { DerivedMetricsService } from './derived-metrics.service.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { TrendsController } from './trends.controller.js';
import { TrendsService } from './trends.service.js';

/**
 * Data quality metrics: ingestion, listing, trends, and the datasets they name. Owns the data_quality_metrics table; other features
 * record the metrics they derive through DerivedMetricsService.
 */
@Module({
  imports: [MikroOrmModule.forFeature([DataQualityMetric]), IdempotencyModule],
  // TrendsController first: its fixed paths (latest, series, anomalies) must not be shadowed.
  controllers: [TrendsController, MetricsController, DatasetsController],
  providers: [MetricsService, TrendsService, DatasetsService, DerivedMetricsService],
  exports: [DerivedMetricsService],
})
export class QualityModule {}
