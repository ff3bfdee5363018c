import type { LogLevel } from '../config/app.config.js';

export type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** LOG_LEVEL as pino names it: Nest's "verbose" is pino's "trace" (NestLogger sends Logger.verbose there). */
export function pinoLevel(level: LogLevel): PinoLevel {
  return level === 'verbose' ? 'trace' : level;
}
