import { describe, expect, it } from '@jest/globals';
import { checkMetric, toRow } from './metric-input.js';

const rules = { maxFutureSkewMs: 60_000, metadataMaxBytes: 64, batchBodyLimitBytes: 1 };
const now = Date.parse('2026-11-21T12:00:00Z');
const base = { pipeline_name: 'p', metric_type: 'row_count', metric_value: 1 };

describe('checkMetric', () => {
  it('accepts recorded_at up to the allowed skew into the future', () => {
    expect(checkMetric({ ...base, recorded_at: '2026-11-21T12:01:00Z' }, '', rules, now)).toEqual([]);
    expect(checkMetric({ ...base, recorded_at: '2026-11-21T12:01:00.001Z' }, '/metrics/4', rules, now)).toEqual([
      { in: 'body', pointer: '/metrics/4/recorded_at', detail: 'is more than 60000 ms in the future' },
    ]);
  });

  it('bounds metadata by its size as JSON and refuses NUL characters in it', () => {
    expect(checkMetric({ ...base, metadata: { a: 'x'.repeat(40) } }, '', rules, now)).toEqual([]);
    expect(checkMetric({ ...base, metadata: { a: 'x'.repeat(60) } }, '', rules, now)[0].pointer).toBe('/metadata');
    expect(checkMetric({ ...base, metadata: { a: 'nul\u0000' } }, '', rules, now)[0].detail).toMatch(/NUL/);
    expect(checkMetric({ ...base, metadata: { a: ['\ud800'] } }, '', rules, now)).toHaveLength(1);
    expect(checkMetric({ ...base, metadata: { a: { b: Number.POSITIVE_INFINITY } } }, '', rules, now)).toHaveLength(1);
    expect(checkMetric({ ...base, metadata: { a: ['\ud83d\ude00', 1.5, null, true] } }, '', rules, now)).toEqual([]);
  });
});

describe('toRow', () => {
  it('fills the defaults: a UUIDv7 id, recorded now, no execution, empty metadata', () => {
    const row = toRow(base, now);
    expect(row).toMatchObject({ ...base, recorded_at: '2026-11-21T12:00:00.000Z', execution_id: null, metadata: {} });
    expect(row.metric_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('keeps execution ids in lower case', () => {
    expect(toRow({ ...base, execution_id: 'ABCDEF00-0000-7000-8000-000000000000' }, now).execution_id).toBe('abcdef00-0000-7000-8000-000000000000');
  });
});
