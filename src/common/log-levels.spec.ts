import { describe, expect, it } from '@jest/globals';
import { nestLogLevels } from './log-levels.js';

describe('nestLogLevels', () => {
  it('maps info to Nest "log" and keeps every more severe level', () => {
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
  });

  it('keeps only fatal for fatal and everything for verbose', () => {
    expect(nestLogLevels('fatal')).toEqual(['fatal']);
    expect(nestLogLevels('verbose')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });
});
