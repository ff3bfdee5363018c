import { describe, expect, it } from '@jest/globals';
import type { ParsedEvent } from './lineage-reader.js';
import { TooManyMetricsError } from './lineage.errors.js';
import { checkMetricCaps, METRICS_PER_EVENT_MAX, METRICS_PER_REQUEST_MAX } from './metric-caps.js';

const withMetrics = (metricCount: number | null, index: number | null = null) => ({
  index,
  event: { run: metricCount === null ? null : { metricCount } } as ParsedEvent,
});
const refusal = (events: ReturnType<typeof withMetrics>[]) => {
  try {
    checkMetricCaps(events);
  } catch (error) {
    expect(error).toBeInstanceOf(TooManyMetricsError);
    return (error as TooManyMetricsError).extensions;
  }
  return null;
};

describe('checkMetricCaps', () => {
  it('takes the same cap as POST /v1/metrics/batch, per event and per request', () => {
    expect([METRICS_PER_EVENT_MAX, METRICS_PER_REQUEST_MAX]).toEqual([5000, 5000]);
  });

  it('accepts up to the caps exactly, and events that make no metrics', () => {
    expect(refusal([withMetrics(5000)])).toBeNull();
    expect(refusal([withMetrics(2500, 0), withMetrics(null, 1), withMetrics(2500, 2)])).toBeNull();
  });

  it('names the first event over the per-event cap, before the total', () => {
    expect(refusal([withMetrics(4000, 0), withMetrics(5001, 1), withMetrics(9000, 2)])).toEqual({ limit: 5000, per: 'event', metrics: 5001, event_index: 1 });
    expect(refusal([withMetrics(5001)])).toMatchObject({ per: 'event', event_index: null });
  });

  it('names the event at which the running total passes the request cap', () => {
    expect(refusal([withMetrics(3000, 0), withMetrics(null, 1), withMetrics(2000, 2), withMetrics(1, 3), withMetrics(10, 4)])).toEqual({
      limit: 5000,
      per: 'request',
      metrics: 5011,
      event_index: 3,
    });
  });
});
