import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from './invalid-request.error.js';
import { windowInterval, windowMs } from './window.js';

describe('look-back windows', () => {
  it('turn into SQL intervals and milliseconds', () => {
    expect(windowInterval('30m', 'window')).toBe('30 minutes');
    expect(windowInterval('24h', 'window')).toBe('24 hours');
    expect(windowInterval('366d', 'window')).toBe('366 days');
    expect(windowMs('2d')).toBe(172_800_000);
  });

  it('refuse more than 366 days, naming the parameter', () => {
    expect(() => windowInterval('367d', 'training')).toThrow(InvalidRequestError);
    expect(() => windowInterval('9000h', 'training')).toThrow('query /training must be at most 366d');
  });
});
