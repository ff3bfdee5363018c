import type { LogLevel } from '../config/app.config.js';
import { LevelLogger, splitNestParams } from './level-logger.js';
import { pinoLevel } from './log-levels.js';
import type { RootLogger } from './logging.js';

/**
 * Nest's Logger (`new Logger('Context').warn(…)`, and Nest's own start-up lines) written through the root
 * pino logger: `context` is a field of the line, an Error is logged as `err`, an object's fields are merged.
 */
export class NestLogger extends LevelLogger {
  constructor(private readonly root: RootLogger) {
    super();
  }

  protected write(logLevel: LogLevel, message: unknown, params: unknown[]): void {
    const level = pinoLevel(logLevel);
    if (!this.root.isLevelEnabled(level)) return;
    const { context, stack, rest } = splitNestParams(params);
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.root[level]({ ...fields, ...message });
    } else if (level === 'error' && stack !== undefined) {
      this.root.error({ ...fields, err: { type: 'Error', message: String(message), stack } }, String(message));
    } else {
      this.root[level](fields, String(message), ...rest);
    }
  }
}
