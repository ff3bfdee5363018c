import type { LoggerService } from '@nestjs/common/services/logger.service.js';
import { LOG_LEVELS, type LogLevel } from '../config/app.config.js';

/** Nest's method names against LOG_LEVEL's: `log` is info. */
const LEVEL_OF = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'verbose' } as const;

/**
 * Nest's Logger in the command line (the migrator's progress, drift's steps): plain `Context: message` lines
 * on stderr, at LOG_LEVEL. Stdout carries the command's output only, so that `--json` output parses whole.
 */
export class CliLogger implements LoggerService {
  private readonly rank: number;

  constructor(level: LogLevel) {
    this.rank = LOG_LEVELS.indexOf(level);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  /** Nest passes the context last. */
  private write(method: keyof typeof LEVEL_OF, message: unknown, params: unknown[]): void {
    if (LOG_LEVELS.indexOf(LEVEL_OF[method]) > this.rank) return;
    const context = typeof params[params.length - 1] === 'string' ? `${String(params[params.length - 1])}: ` : '';
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    process.stderr.write(`${context}${text}\n`);
  }
}
