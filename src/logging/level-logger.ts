import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/app.config.js';

const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s*at /.test(value);

/**
 * Nest's Logger methods, written once: each hands its LOG_LEVEL name (`log` is info) to `write`, which is
 * all a logger of the service (pino) or of the command line (stderr lines) has to say for itself.
 */
export abstract class LevelLogger implements LoggerService {
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
    this.write('info', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  protected abstract write(level: LogLevel, message: unknown, params: unknown[]): void;
}

/**
 * Nest passes the context last; before it, Nest's exception handlers pass a stack for `error`. Returns the
 * context (if any) and the other parameters, with the stack, if any, in `stack`.
 */
export function splitNestParams(params: unknown[]): { context?: string; stack?: string; rest: unknown[] } {
  const rest = [...params];
  const last = rest[rest.length - 1];
  const context = typeof last === 'string' && !looksLikeStack(last) ? (rest.pop() as string) : undefined;
  const stack = rest.length === 1 && looksLikeStack(rest[0]) ? rest[0] : undefined;
  return { context, stack, rest };
}
