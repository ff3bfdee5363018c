import type { MetricThresholdParams } from '../data-monitor-params.js';

/** What every data monitor's evidence says about the point it judged. */
export interface PointEvidence {
  series_id: string;
  pipeline_name: string;
  dataset: { namespace: string; name: string } | null;
  column: string | null;
  metric_type: string;
  value: number;
  recorded_at: string;
  metric_id: string;
}

export interface ThresholdVerdict {
  firing: boolean;
  /** Which limits the point broke (empty: within all). */
  broken: ('min' | 'max' | 'max_change_pct')[];
  min?: number;
  max?: number;
  max_change_pct?: number;
  previous_value: number | null;
  previous_recorded_at: string | null;
  /** |value − previous| / |previous| × 100; null without a previous point or when it is 0. */
  change_pct: number | null;
}

/**
 * metric_threshold on one point: below min, above max, or changed by more than max_change_pct percent from
 * the previous point of its series (a previous value of 0 has no percent change and is not judged by it).
 */
export function judgeThreshold(
  value: number,
  params: MetricThresholdParams,
  previous: { value: number | null; recorded_at: string | null },
): ThresholdVerdict {
  const change_pct = previous.value === null || previous.value === 0 ? null : (Math.abs(value - previous.value) / Math.abs(previous.value)) * 100;
  const broken: ThresholdVerdict['broken'] = [];
  if (params.min !== undefined && value < params.min) broken.push('min');
  if (params.max !== undefined && value > params.max) broken.push('max');
  if (params.max_change_pct !== undefined && change_pct !== null && change_pct > params.max_change_pct) broken.push('max_change_pct');
  const { metric_type: _, ...limits } = params;
  return { firing: broken.length > 0, broken, ...limits, previous_value: previous.value, previous_recorded_at: previous.recorded_at, change_pct };
}
