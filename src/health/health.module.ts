import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AlertingHealthIndicator } from './alerting.health.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';
import { ShutdownService } from './shutdown.service.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator, AlertingHealthIndicator, ShutdownService],
  exports: [ShutdownService],
})
export class HealthModule {}
