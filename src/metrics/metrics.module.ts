import { Global, Module } from '@nestjs/common';
import { OpsMetrics } from './ops-metrics.service.js';

/**
 * The service's Prometheus registry, for every feature to count what it writes (global, like the clock).
 * The command line gets it too (its feature services count; nothing serves the counts there).
 */
@Global()
@Module({ providers: [OpsMetrics], exports: [OpsMetrics] })
export class MetricsModule {}
