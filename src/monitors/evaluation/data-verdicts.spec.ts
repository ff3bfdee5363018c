import { describe, expect, it } from '@jest/globals';
import { judgeThreshold } from './data-verdicts.js';

const none = { value: null, recorded_at: null };

describe('metric_threshold verdicts', () => {
  it('fires below min and above max, and is quiet within them (the limits themselves included)', () => {
    const params = { metric_type: 'row_count', min: 10, max: 100 };
    expect(judgeThreshold(9, params, none)).toMatchObject({ firing: true, broken: ['min'] });
    expect(judgeThreshold(101, params, none)).toMatchObject({ firing: true, broken: ['max'] });
    expect(judgeThreshold(10, params, none)).toMatchObject({ firing: false, broken: [] });
    expect(judgeThreshold(100, params, none)).toMatchObject({ firing: false, broken: [] });
  });

  it('max_change_pct compares with the previous point; without one, or from 0, the change is not judged', () => {
    const params = { metric_type: 'row_count', max_change_pct: 50 };
    expect(judgeThreshold(160, params, { value: 100, recorded_at: '2026-01-01T00:00:00Z' })).toMatchObject({ firing: true, broken: ['max_change_pct'], change_pct: 60 });
    expect(judgeThreshold(40, params, { value: 100, recorded_at: '2026-01-01T00:00:00Z' })).toMatchObject({ firing: true, change_pct: 60 });
    expect(judgeThreshold(150, params, { value: 100, recorded_at: '2026-01-01T00:00:00Z' })).toMatchObject({ firing: false, change_pct: 50 });
    expect(judgeThreshold(1e6, params, none)).toMatchObject({ firing: false, change_pct: null });
    expect(judgeThreshold(5, params, { value: 0, recorded_at: '2026-01-01T00:00:00Z' })).toMatchObject({ firing: false, change_pct: null });
  });
});
