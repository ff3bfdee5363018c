import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app.config.js';
import { nestLogLevels } from './common/log-levels.js';

/** Builds the HTTP application exactly as production runs it; the e2e suites use this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  return NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    logger: nestLogLevels(config.logLevel),
    abortOnError: false,
  });
}
