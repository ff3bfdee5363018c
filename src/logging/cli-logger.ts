import { LOG_LEVELS, type LogLevel } from '../config/app.config.js';
import { LevelLogger, splitNestParams } from './level-logger.js';

/**
 * Nest's Logger in the command line (the migrator's progress, drift's steps): plain `Context: message` lines
 * on stderr, at LOG_LEVEL. Stdout carries the command's output only, so that `--json` output parses whole.
 */
export class CliLogger extends LevelLogger {
  private readonly rank: number;

  constructor(level: LogLevel) {
    super();
    this.rank = LOG_LEVELS.indexOf(level);
  }

  protected write(level: LogLevel, message: unknown, params: unknown[]): void {
    if (LOG_LEVELS.indexOf(level) > this.rank) return;
    const { context } = splitNestParams(params);
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    process.stderr.write(`${context ? `${context}: ` : ''}${text}\n`);
  }
}
