import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, EXIT, isErrorCode } from './error-codes.js';

describe('the table of error codes', () => {
  it('gives every code an HTTP error status and a failing exit status', () => {
    for (const { status, exit } of Object.values(ERROR_CODES)) {
      expect(status >= 400 && status < 600).toBe(true);
      expect([EXIT.failed, EXIT.history]).toContain(exit);
    }
  });

  it('exits 3 for exactly the history that is not intact, so a deploy pipeline can tell it apart', () => {
    const history = Object.entries(ERROR_CODES).filter(([, e]) => e.exit === EXIT.history).map(([code]) => code);
    expect(history.sort()).toEqual(['DATABASE.MIGRATION_CHANGED', 'DATABASE.MIGRATION_FILE_MISSING', 'DATABASE.MIGRATION_OUT_OF_ORDER']);
  });

  it('knows its own codes and nothing else', () => {
    expect(isErrorCode('AUDIT.EXECUTION_NOT_FOUND')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
