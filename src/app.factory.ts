import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app.config.js';
import { nestLogLevels } from './common/log-levels.js';
import { registerOpenApi } from './common/openapi.js';
import { configureValidation } from './common/validation.js';
import { applyRouteLimits } from './common/route-limits.js';

/** Our package.json: one level up from src/, two from dist/src/. */
function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

/** Builds the HTTP application exactly as production runs it; the e2e suites use this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: nestLogLevels(config.logLevel),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest's would also accept form-encoded bodies, which must answer 415.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  configureValidation(fastify);
  applyRouteLimits(fastify, config.metrics.batchBodyLimitBytes);
  // JSON only: Fastify would otherwise parse text/plain bodies into strings; now they answer 415.
  fastify.removeContentTypeParser('text/plain');
  await registerOpenApi(app, packageVersion());
  return app;
}
