import { describe, expect, it } from '@jest/globals';
import { formatIsoDuration, parseIsoDuration } from './iso-duration.js';

describe('ISO 8601 durations', () => {
  it.each([
    ['PT26H', 26 * 3_600_000],
    ['PT15M', 900_000],
    ['P1D', 86_400_000],
    ['P1DT2H30M', 95_400_000],
    ['PT0.5S', 500],
    ['PT90S', 90_000],
  ])('%s is %d ms and formats back to an equal duration', (text, ms) => {
    expect(parseIsoDuration(text)).toEqual({ ms });
    expect(parseIsoDuration(formatIsoDuration(ms))).toEqual({ ms });
  });

  it.each(['PT0S', 'P0D', 'PT0M'])('%s is refused as zero', (text) => {
    expect(parseIsoDuration(text)).toEqual({ error: 'must be longer than zero' });
  });

  it.each(['', 'P', 'PT', '-PT1H', 'PT-1H', 'P1M', 'P1Y', 'P1W', '26h', 'PT1H ', 'pt1h', 'P1DT'])('%j is refused', (text) => {
    expect(parseIsoDuration(text)).toHaveProperty('error');
  });

  it('refuses more than 366 days', () => {
    expect(parseIsoDuration('P367D')).toEqual({ error: 'must be at most 366 days (P366D)' });
  });
});
