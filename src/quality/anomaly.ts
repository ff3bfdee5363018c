/** Fewer earlier points than this in the training window and a point gets no score. */
export const MIN_TRAINING_POINTS = 3;
/** A standard deviation at most this fraction of the mean (or of 1, for means near zero) counts as none. */
const FLAT = 1e-9;

export interface TrainingStats {
  count: number;
  mean: number | null;
  stddev: number | null;
}

export interface Score {
  z_score: number | null;
  anomaly: boolean;
  reason: string | null;
}

/**
 * The z-score of `value` against its training window: how many standard deviations it lies from the
 * mean. |z| above `sensitivity` is an anomaly. A flat history (zero deviation) scores 0, and too little
 * history gives no score, with the reason.
 */
export function scorePoint(value: number, training: TrainingStats, sensitivity: number): Score {
  if (training.count < MIN_TRAINING_POINTS || training.mean === null || training.stddev === null) {
    return {
      z_score: null,
      anomaly: false,
      reason: `insufficient history: ${training.count} point(s) in the training window, at least ${MIN_TRAINING_POINTS} needed`,
    };
  }
  // Floating point leaves a flat history of 0.1s a deviation of ~1e-17, not 0: anything that small next
  // to the mean is a flat history, where every score would otherwise be noise amplified a quadrillion-fold.
  if (training.stddev <= FLAT * Math.max(1, Math.abs(training.mean))) return { z_score: 0, anomaly: false, reason: null };
  const z = (value - training.mean) / training.stddev;
  return { z_score: z, anomaly: Math.abs(z) > sensitivity, reason: null };
}

// The robust, seasonal verdict of the metric_anomaly monitor (docs/anomaly-detection.md): one new point
// against the training points of its season bucket, by median and MAD rather than mean and standard
// deviation, so that the outliers a training window holds (an earlier incident, a backfill) do not widen
// the band they are judged by.

export const SEASONALITIES = ['none', 'day_of_week', 'hour_of_day', 'hour_of_week'] as const;
export type Seasonality = (typeof SEASONALITIES)[number];
export const DIRECTIONS = ['spike', 'drop', 'both'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Fewer training points than this in the point's season bucket and there is no verdict. */
export const MIN_BUCKET_POINTS = 3;
/** MAD × this estimates the standard deviation of normal data: the robust z-score is then comparable to a z-score. */
const MAD_TO_SIGMA = 1.4826;
/** Mean absolute deviation × this estimates the standard deviation of normal data (√(π/2)). */
const MEAN_AD_TO_SIGMA = 1.2533;

export interface AnomalyOptions {
  seasonality: Seasonality;
  /** The time zone season buckets are counted in (weekdays and hours); default UTC. */
  timezone?: string;
  direction: Direction;
  /** |robust z| above this is an anomaly. */
  sensitivity: number;
  /** The change from the expected (median) value must be at least this much… */
  minAbsChange: number;
  /** …and at least this fraction of the expected value, so that tiny or near-constant series do not alert. */
  minRelChange: number;
}

export interface AnomalyVerdict {
  verdict: 'anomaly' | 'normal' | 'insufficient_history';
  value: number;
  /** The band the value is expected in (median ± sensitivity × robust scale); null without a verdict. */
  expected: { low: number; high: number; median: number } | null;
  /** The robust z-score; null without a verdict or for a flat history (no spread to measure it by). */
  score: number | null;
  /** The season bucket judged in: `all`, `Tue`, `14h` or `Tue 14h`. */
  bucket: string;
  /** The training points of that bucket the verdict used. */
  training_points: number;
  reason: string | null;
}

export interface TimedValue {
  value: number;
  at: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsOf(at: Date, timezone: string): { weekday: string; hour: string } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, format);
  }
  const parts = format.formatToParts(at);
  return { weekday: parts.find((p) => p.type === 'weekday')!.value, hour: String(Number(parts.find((p) => p.type === 'hour')!.value)) };
}

/** The season bucket of a time: its weekday, its hour, both, or `all`, in `timezone`. */
export function seasonBucket(at: Date, seasonality: Seasonality, timezone = 'UTC'): string {
  if (seasonality === 'none') return 'all';
  const { weekday, hour } = partsOf(at, timezone);
  if (seasonality === 'day_of_week') return weekday;
  if (seasonality === 'hour_of_day') return `${hour}h`;
  return `${weekday} ${hour}h`;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sortedCopy = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/**
 * The spread of `values` around their median, as a standard deviation would be for normal data: MAD × 1.4826;
 * when more than half the values are equal (MAD 0) the mean absolute deviation × 1.2533; 0 for a flat history.
 */
function robustScale(values: readonly number[], center: number): number {
  const deviations = values.map((v) => Math.abs(v - center));
  const mad = median(sortedCopy(deviations));
  if (mad > 0) return MAD_TO_SIGMA * mad;
  return MEAN_AD_TO_SIGMA * (deviations.reduce((a, b) => a + b, 0) / deviations.length);
}

/**
 * Judges `point` against the `training` points of its season bucket: median, robust scale and robust
 * z-score; an anomaly when |z| exceeds `sensitivity` in the watched direction and the change from the median
 * is at least the minimum absolute and relative change. A flat history (no spread) makes any change that
 * passes the minimums an anomaly. Fewer than 3 points in the bucket: no verdict, and why.
 */
export function judgePoint(point: TimedValue, training: readonly TimedValue[], options: AnomalyOptions): AnomalyVerdict {
  const timezone = options.timezone ?? 'UTC';
  const bucket = seasonBucket(point.at, options.seasonality, timezone);
  const same = training.filter((t) => seasonBucket(t.at, options.seasonality, timezone) === bucket).map((t) => t.value);
  const base = { value: point.value, bucket, training_points: same.length };
  if (same.length < MIN_BUCKET_POINTS) {
    const where = options.seasonality === 'none' ? 'the training window' : `season bucket ${bucket}`;
    return {
      ...base,
      verdict: 'insufficient_history',
      expected: null,
      score: null,
      reason: `insufficient history: ${same.length} point(s) in ${where} (of ${training.length} in training), at least ${MIN_BUCKET_POINTS} needed`,
    };
  }
  const center = median(sortedCopy(same));
  const scale = robustScale(same, center);
  const deviation = point.value - center;
  const score = scale > 0 ? deviation / scale : null;
  const expected = { low: center - options.sensitivity * scale, high: center + options.sensitivity * scale, median: center };
  const outside = score === null ? deviation !== 0 : Math.abs(score) > options.sensitivity;
  const watched = options.direction === 'both' || (options.direction === 'spike' ? deviation > 0 : deviation < 0);
  const bigEnough = Math.abs(deviation) >= options.minAbsChange && Math.abs(deviation) >= options.minRelChange * Math.abs(center);
  const anomaly = outside && watched && bigEnough;
  let reason: string | null = null;
  if (outside && !watched) reason = `outside the expected range, but a ${deviation > 0 ? 'spike' : 'drop'} and the monitor watches ${options.direction} only`;
  else if (outside && !bigEnough) reason = 'outside the expected range, but the change is below the minimum absolute or relative change';
  else if (score === null) reason = 'flat history: any change beyond the minimum change is an anomaly';
  return { ...base, verdict: anomaly ? 'anomaly' : 'normal', expected, score, reason };
}
