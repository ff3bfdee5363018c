import { requireIsoDuration } from '../common/iso-duration.js';
import { DIRECTIONS, SEASONALITIES, type Direction, type Seasonality } from '../quality/anomaly.js';
import { duration, finite, invalid, onlyKeys, type At } from './param-rules.js';

/**
 * The params of the monitors on reported data (docs/monitors.md): stored canonical like the run kinds'
 * (defaults filled in, durations re-formatted, keys in a fixed order), so `monitors apply` compares them.
 */
export type MetricThresholdParams = { metric_type: string; min?: number; max?: number; max_change_pct?: number };
export type TestFailedParams = Record<string, never>;
export type MetricAnomalyParams = {
  metric_type: string;
  seasonality: Seasonality;
  direction: Direction;
  training: string;
  sensitivity: number;
  min_abs_change: number;
  min_rel_change: number;
};

/** The defaults of metric_anomaly, as docs/monitors.md lists them. */
export const ANOMALY_DEFAULTS = { seasonality: 'none', direction: 'both', training: 'P28D', sensitivity: 3.5, min_abs_change: 0, min_rel_change: 0.1 } as const;

/**
 * The shortest training window each seasonality can learn from: 3 points per season bucket at one point per
 * bucket per cycle (3 weeks for the weekday and the hour of the week, 3 days for the hour of the day).
 */
const MIN_TRAINING_DAYS: Record<Seasonality, number> = { none: 0, day_of_week: 21, hour_of_day: 3, hour_of_week: 21 };

function metricType(p: Record<string, unknown>, at: At): string {
  const value = p.metric_type;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    invalid(at, '/params/metric_type', 'is required: the metric type to watch (a non-blank string of at most 200 characters)');
  }
  return value.trim();
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, at: At, field: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) invalid(at, `/params/${field}`, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function metricThreshold(p: Record<string, unknown>, at: At): MetricThresholdParams {
  onlyKeys(p, ['metric_type', 'min', 'max', 'max_change_pct'], at, '{metric_type, min?, max?, max_change_pct?}');
  const out: MetricThresholdParams = { metric_type: metricType(p, at) };
  const number = { what: 'a finite number' };
  if (p.min !== undefined) out.min = finite(p.min, at, 'min', number);
  if (p.max !== undefined) out.max = finite(p.max, at, 'max', number);
  if (p.max_change_pct !== undefined) {
    out.max_change_pct = finite(p.max_change_pct, at, 'max_change_pct', { above: 0, max: 1e9, what: 'a number greater than 0 (percent change from the previous point)' });
  }
  if (out.min === undefined && out.max === undefined && out.max_change_pct === undefined) {
    invalid(at, '/params', 'needs at least one of min, max or max_change_pct');
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) invalid(at, '/params/min', `must be at most max (${out.max})`);
  return out;
}

export function testFailed(p: Record<string, unknown>, at: At): TestFailedParams {
  onlyKeys(p, [], at, 'test_failed takes none: every test reported for the target is watched');
  return {};
}

export function metricAnomaly(p: Record<string, unknown>, at: At): MetricAnomalyParams {
  onlyKeys(p, ['metric_type', 'seasonality', 'direction', 'training', 'sensitivity', 'min_abs_change', 'min_rel_change'], at, 'see docs/monitors.md#metric_anomaly');
  const metric_type = metricType(p, at);
  const seasonality = oneOf(p.seasonality, SEASONALITIES, ANOMALY_DEFAULTS.seasonality, at, 'seasonality');
  const direction = oneOf(p.direction, DIRECTIONS, ANOMALY_DEFAULTS.direction, at, 'direction');
  const training = duration(p.training ?? ANOMALY_DEFAULTS.training, at, 'training');
  const minDays = MIN_TRAINING_DAYS[seasonality];
  if (requireIsoDuration(training, `${at.base}/params/training`) < minDays * 86_400_000) {
    invalid(at, '/params/training', `must be at least P${minDays}D with seasonality ${seasonality} (3 points per season bucket)`);
  }
  const sensitivity = finite(p.sensitivity ?? ANOMALY_DEFAULTS.sensitivity, at, 'sensitivity', { above: 0, max: 100, what: 'a number greater than 0 and at most 100 (robust z-score)' });
  const min_abs_change = finite(p.min_abs_change ?? ANOMALY_DEFAULTS.min_abs_change, at, 'min_abs_change', { min: 0, what: 'a number at least 0' });
  const min_rel_change = finite(p.min_rel_change ?? ANOMALY_DEFAULTS.min_rel_change, at, 'min_rel_change', { min: 0, max: 1e6, what: 'a number at least 0 (a fraction of the expected value: 0.1 is 10 %)' });
  return { metric_type, seasonality, direction, training, sensitivity, min_abs_change, min_rel_change };
}
