import { describe, expect, it } from '@jest/globals';
import { LOG_LEVELS } from '../config/app.config.js';
import { pinoLevel } from './log-levels.js';

describe('pinoLevel', () => {
  it('maps verbose to trace and keeps every other level', () => {
    expect(LOG_LEVELS.map(pinoLevel)).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
  });
});
