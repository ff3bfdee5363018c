import { BATCH_MAX_ITEMS } from '../quality/dto/record-metric.dto.js';
import type { ParsedEvent } from './lineage-reader.js';
import { TooManyMetricsError } from './lineage.errors.js';

/** The most quality metrics one request may record: the same cap as POST /v1/metrics/batch. */
export const METRICS_PER_REQUEST_MAX = BATCH_MAX_ITEMS;

/**
 * The most one event may record. Not lower than a request's: an event's metrics are one dataset's measures,
 * and a wide table (500 columns of ten measures) that POST /v1/metrics/batch takes in one request should not
 * need splitting over events, which OpenLineage producers cannot do. It names the event that is too large.
 */
export const METRICS_PER_EVENT_MAX = BATCH_MAX_ITEMS;

/**
 * Refuses (TooManyMetricsError) events whose quality facets would record more metrics than the caps allow,
 * each event and all of them together, counted before anything is written. `index` is null for the
 * single-event route. Duplicates count too: whether an event was received before is known only on writing.
 */
export function checkMetricCaps(events: { index: number | null; event: ParsedEvent }[]): void {
  let total = 0;
  for (const { index, event } of events) {
    const count = event.run?.metricCount ?? 0;
    if (count > METRICS_PER_EVENT_MAX) throw new TooManyMetricsError('event', METRICS_PER_EVENT_MAX, count, index);
    total += count;
  }
  if (total <= METRICS_PER_REQUEST_MAX) return;
  let sum = 0;
  const passing = events.find((e) => (sum += e.event.run?.metricCount ?? 0) > METRICS_PER_REQUEST_MAX);
  throw new TooManyMetricsError('request', METRICS_PER_REQUEST_MAX, total, passing?.index ?? null);
}
