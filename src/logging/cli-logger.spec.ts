import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CliLogger } from './cli-logger.js';

describe('CliLogger', () => {
  let stdout = '';
  let stderr = '';
  beforeEach(() => {
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('writes `Context: message` lines on stderr only, never stdout', () => {
    new CliLogger('info').log('applied 20260101_000000_x in 3 ms', 'Migrator');
    expect(stderr).toBe('Migrator: applied 20260101_000000_x in 3 ms\n');
    expect(stdout).toBe('');
  });

  it('drops what is below LOG_LEVEL', () => {
    const logger = new CliLogger('warn');
    logger.log('progress', 'Migrator');
    logger.debug('detail', 'Drift');
    logger.warn('careful', 'Drift');
    expect(stderr).toBe('Drift: careful\n');
  });

  it('writes verbose at LOG_LEVEL=verbose, and never mistakes the stack Nest passes to error() for a context', () => {
    const logger = new CliLogger('verbose');
    logger.verbose('fine detail', 'Drift');
    logger.error('Unhandled', new Error('boom').stack);
    expect(stderr).toBe('Drift: fine detail\nUnhandled\n');
  });
});
