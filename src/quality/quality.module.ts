import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DataQualityMetric } from './data-quality-metric.entity.js';

/** Data quality metrics. Owns the data_quality_metrics table. */
@Module({
  imports: [MikroOrmModule.forFeature([DataQualityMetric])],
})
export class QualityModule {}
