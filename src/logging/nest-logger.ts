import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { RootLogger } from './logging.js';

const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s*at /.test(value);

/**
 * Nest's Logger (`new Logger('Context').warn(…)`, and Nest's own start-up lines) written through the root
 * pino logger: `context` is a field of the line, an Error is logged as `err`, an object's fields are merged.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly root: RootLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last; before it, Nest's exception handlers pass a stack for `error`. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (typeof rest[rest.length - 1] === 'string' && !looksLikeStack(rest[rest.length - 1])) fields.context = rest.pop();
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.root[level]({ ...fields, ...message });
    } else if (level === 'error' && rest.length === 1 && looksLikeStack(rest[0])) {
      this.root.error({ ...fields, err: { type: 'Error', message: String(message), stack: rest[0] } }, String(message));
    } else {
      this.root[level](fields, String(message), ...rest);
    }
  }
}
