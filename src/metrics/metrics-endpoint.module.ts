import { Module } from '@nestjs/common';
import { DatabaseGauges } from './database-gauges.js';
import { MetricsServer } from './metrics.server.js';

/** The service only: `/metrics` on METRICS_PORT, and the gauges of the pool and the job library's ticks. */
@Module({ providers: [MetricsServer, DatabaseGauges] })
export class MetricsEndpointModule {}
