import type { LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '../config/app.config.js';

const NEST_LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest levels at or above LOG_LEVEL; Nest calls "info" "log". */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  const wanted = level === 'info' ? 'log' : level;
  return NEST_LEVELS.slice(0, NEST_LEVELS.indexOf(wanted) + 1);
}
