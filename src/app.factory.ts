import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel as NestLogLevel } from '@nestjs/common';
import { AppModule } from './app.module.js';
import type { AppConfig, LogLevel } from './config/app.config.js';

const NEST_LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest levels at or above LOG_LEVEL; Nest calls "info" "log". */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  const wanted = level === 'info' ? 'log' : level;
  return NEST_LEVELS.slice(0, NEST_LEVELS.indexOf(wanted) + 1);
}

/** Builds the HTTP application exactly as production runs it; the e2e suites use this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    logger: nestLogLevels(config.logLevel),
    abortOnError: false,
  });
  return app;
}
