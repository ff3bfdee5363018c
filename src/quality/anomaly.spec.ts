import { describe, expect, it } from '@jest/globals';
import { MIN_TRAINING_POINTS, scorePoint, judgePoint, seasonBucket } from './anomaly.js';

describe('scorePoint', () => {
  it('is the distance from the mean in standard deviations', () => {
    expect(scorePoint(16, { count: 10, mean: 10, stddev: 2 }, 3)).toEqual({ z_score: 3, anomaly: false, reason: null });
    expect(scorePoint(3, { count: 10, mean: 10, stddev: 2 }, 3)).toEqual({ z_score: -3.5, anomaly: true, reason: null });
  });

  it('flags only |z| strictly above the sensitivity', () => {
    expect(scorePoint(16.02, { count: 10, mean: 10, stddev: 2 }, 3).anomaly).toBe(true);
    expect(scorePoint(14, { count: 10, mean: 10, stddev: 2 }, 1.5).anomaly).toBe(true);
  });

  it('scores 0 against a flat history instead of dividing by zero', () => {
    expect(scorePoint(99, { count: 5, mean: 7, stddev: 0 }, 3)).toEqual({ z_score: 0, anomaly: false, reason: null });
  });

  it('treats the rounding residue of a flat history (0.1 seven times) as flat', () => {
    expect(scorePoint(0.1, { count: 7, mean: 0.1, stddev: 1.08e-17 }, 3)).toEqual({ z_score: 0, anomaly: false, reason: null });
    expect(scorePoint(0.1000001, { count: 7, mean: 0.1, stddev: 1.08e-17 }, 3).anomaly).toBe(false);
    expect(scorePoint(12, { count: 7, mean: 10, stddev: 1e-6 }, 3).anomaly).toBe(true);
  });

  it('gives no score, with the reason, when the training window has too few points', () => {
    const s = scorePoint(5, { count: MIN_TRAINING_POINTS - 1, mean: 5, stddev: 1 }, 3);
    expect(s).toMatchObject({ z_score: null, anomaly: false });
    expect(s.reason).toMatch(/insufficient history: 2 point\(s\)/);
    expect(scorePoint(5, { count: 0, mean: null, stddev: null }, 3).z_score).toBeNull();
  });
});

describe('judgePoint: the robust, seasonal verdict', () => {
  const DAY = 86_400_000;
  // Monday 2026-10-05 00:00 UTC; four weeks of one point a day at 06:00.
  const MONDAY = Date.parse('2026-10-05T06:00:00Z');
  const weekly = (weekday: number, weekend: number) =>
    Array.from({ length: 28 }, (_, d) => {
      const dow = d % 7; // 0 Monday … 5 Saturday, 6 Sunday
      const base = dow >= 5 ? weekend : weekday;
      return { value: base + ((d * 37) % 11) - 5, at: new Date(MONDAY + d * DAY) };
    });
  const options = { seasonality: 'day_of_week', direction: 'both', sensitivity: 3.5, minAbsChange: 0, minRelChange: 0.1 } as const;
  const after = (days: number) => new Date(MONDAY + (28 + days) * DAY);

  it('does not flag a low Saturday when weekends are always low, and flags the same value on a Tuesday', () => {
    const training = weekly(1000, 300);
    const saturday = judgePoint({ value: 300, at: after(5) }, training, options);
    expect(saturday).toMatchObject({ verdict: 'normal', bucket: 'Sat', training_points: 4 });
    const tuesday = judgePoint({ value: 300, at: after(1) }, training, options);
    expect(tuesday).toMatchObject({ verdict: 'anomaly', bucket: 'Tue', training_points: 4 });
    expect(tuesday.score).toBeLessThan(-3.5);
    expect(tuesday.expected!.low).toBeGreaterThan(300);
  });

  it('without seasonality the same weekend would look like a drop', () => {
    const verdict = judgePoint({ value: 300, at: after(5) }, weekly(1000, 300), { ...options, seasonality: 'none' });
    expect(verdict).toMatchObject({ bucket: 'all', training_points: 28 });
    expect(verdict.score).toBeLessThan(0);
  });

  it('gives no verdict with fewer than 3 points in the bucket, and says how many it had', () => {
    const verdict = judgePoint({ value: 5, at: after(1) }, weekly(1000, 300).slice(0, 14), options);
    expect(verdict).toMatchObject({ verdict: 'insufficient_history', score: null, expected: null, training_points: 2 });
    expect(verdict.reason).toMatch(/2 point\(s\) in season bucket Tue \(of 14 in training\), at least 3/);
  });

  it('watches one direction when asked', () => {
    const training = weekly(1000, 1000);
    expect(judgePoint({ value: 5000, at: after(1) }, training, { ...options, direction: 'drop' })).toMatchObject({ verdict: 'normal', reason: expect.stringMatching(/spike/) });
    expect(judgePoint({ value: 5000, at: after(1) }, training, { ...options, direction: 'spike' }).verdict).toBe('anomaly');
    expect(judgePoint({ value: 10, at: after(1) }, training, { ...options, direction: 'spike' }).verdict).toBe('normal');
  });

  it('ignores changes below the minimum absolute or relative change (a tiny series)', () => {
    const tiny = [3, 3, 4, 3, 3, 4, 3].map((value, d) => ({ value, at: new Date(MONDAY + d * DAY) }));
    const none = { ...options, seasonality: 'none' } as const;
    expect(judgePoint({ value: 6, at: after(0) }, tiny, { ...none, minAbsChange: 5 })).toMatchObject({ verdict: 'normal', reason: expect.stringMatching(/minimum/) });
    expect(judgePoint({ value: 6, at: after(0) }, tiny, { ...none, minAbsChange: 0 }).verdict).toBe('anomaly');
    expect(judgePoint({ value: 3.2, at: after(0) }, tiny, { ...none, minRelChange: 0.5 }).verdict).toBe('normal');
  });

  it('copes with a MAD of 0: the mean absolute deviation, then a flat history where any real change is an anomaly', () => {
    const mostlyFlat = [10, 10, 10, 10, 10, 12].map((value, d) => ({ value, at: new Date(MONDAY + d * DAY) }));
    const none = { ...options, seasonality: 'none' } as const;
    const verdict = judgePoint({ value: 10.5, at: after(0) }, mostlyFlat, { ...none, minRelChange: 0 });
    expect(verdict.score).not.toBeNull();
    expect(verdict.verdict).toBe('normal');
    const flat = [10, 10, 10, 10].map((value, d) => ({ value, at: new Date(MONDAY + d * DAY) }));
    expect(judgePoint({ value: 10, at: after(0) }, flat, none)).toMatchObject({ verdict: 'normal', score: null });
    expect(judgePoint({ value: 20, at: after(0) }, flat, none)).toMatchObject({ verdict: 'anomaly', score: null, expected: { low: 10, high: 10, median: 10 } });
  });

  it('counts season buckets in the time zone given', () => {
    const at = new Date('2026-10-06T23:30:00Z'); // Tuesday in UTC, Wednesday 08:30 in Tokyo
    expect(seasonBucket(at, 'day_of_week')).toBe('Tue');
    expect(seasonBucket(at, 'day_of_week', 'Asia/Tokyo')).toBe('Wed');
    expect(seasonBucket(at, 'hour_of_week', 'Asia/Tokyo')).toBe('Wed 8h');
    expect(seasonBucket(at, 'hour_of_day')).toBe('23h');
  });
});
