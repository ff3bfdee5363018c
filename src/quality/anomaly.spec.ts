import { describe, expect, it } from '@jest/globals';
import { MIN_TRAINING_POINTS, scorePoint } from './anomaly.js';

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
