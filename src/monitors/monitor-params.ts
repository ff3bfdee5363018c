import { formatIsoDuration, requireIsoDuration } from '../common/iso-duration.js';
import { parseCronSchedule, type CronSchedule } from '../common/schedule.js';
import type { MonitorKind, Severity } from '../incidents/incident-signal.js';
import { metricAnomaly, metricThreshold, testFailed, type MetricAnomalyParams, type MetricThresholdParams, type TestFailedParams } from './data-monitor-params.js';
import { duration, invalid, onlyKeys, type At } from './param-rules.js';

/**
 * Each kind's params as stored (canonical: durations re-formatted by formatIsoDuration, defaults filled in,
 * keys in a fixed order), so two spellings of one monitor compare equal — `monitors apply` relies on it.
 * The evaluation reads `monitors.params` as the type of its kind.
 */
export type RunFailedParams = Record<string, never>;
export type FreshnessMaxAgeParams = { max_age: string };
/** `grace` is always present once stored: PT0S when not given. */
export type FreshnessCronParams = { cron: string; timezone: string; grace: string };
export type FreshnessAutoParams = { auto: true };
export type FreshnessParams = FreshnessMaxAgeParams | FreshnessCronParams | FreshnessAutoParams;
export type DurationMaxParams = { max_duration: string };
/** `runs`: how many of the latest successful runs the p95 is taken over (default 20). */
export type DurationFactorParams = { factor: number; runs: number };
export type DurationParams = DurationMaxParams | DurationFactorParams;
export type StalledParams = { stall_after: string };

export type MonitorParamsOf = {
  run_failed: RunFailedParams;
  freshness: FreshnessParams;
  duration: DurationParams;
  stalled: StalledParams;
  metric_threshold: MetricThresholdParams;
  test_failed: TestFailedParams;
  metric_anomaly: MetricAnomalyParams;
};
export type MonitorParams = MonitorParamsOf[MonitorKind];

export const DEFAULT_SEVERITY: Record<MonitorKind, Severity> = {
  run_failed: 'critical',
  freshness: 'critical',
  duration: 'warning',
  stalled: 'warning',
  metric_threshold: 'critical',
  test_failed: 'critical',
  metric_anomaly: 'warning',
};
export const DURATION_RUNS = { min: 3, max: 1000, default: 20 } as const;

export const isCronFreshness = (kind: MonitorKind, params: unknown): params is FreshnessCronParams =>
  kind === 'freshness' && typeof (params as { cron?: unknown }).cron === 'string';

/** The cron schedule of stored cron freshness params (already validated). */
export const scheduleOf = (params: FreshnessCronParams): CronSchedule =>
  parseCronSchedule(params.cron, params.timezone, { cron: '/params/cron', timezone: '/params/timezone' });

/** The grace of stored cron freshness params, in milliseconds (PT0S: none). */
export const graceMs = (params: FreshnessCronParams): number => (params.grace === 'PT0S' ? 0 : requireIsoDuration(params.grace, '/params/grace'));

function freshness(p: Record<string, unknown>, at: At): FreshnessParams {
  const forms = ['max_age', 'cron', 'auto'].filter((k) => k in p);
  const hint = 'one of {max_age}, {cron, timezone, grace?} or {auto: true}';
  if (forms.length !== 1) invalid(at, forms.length ? `/params/${forms[1]}` : '/params', `needs exactly ${hint}`);
  if ('max_age' in p) {
    onlyKeys(p, ['max_age'], at, hint);
    return { max_age: duration(p.max_age, at, 'max_age') };
  }
  if ('auto' in p) {
    onlyKeys(p, ['auto'], at, hint);
    if (p.auto !== true) invalid(at, '/params/auto', 'must be true (learned expected times)');
    return { auto: true };
  }
  onlyKeys(p, ['cron', 'timezone', 'grace'], at, hint);
  if (typeof p.cron !== 'string' || p.cron.length > 200) invalid(at, '/params/cron', 'must be a 5-field cron expression string');
  if (typeof p.timezone !== 'string') invalid(at, '/params/timezone', 'is required with cron: an IANA time zone such as Europe/Berlin');
  const cron = p.cron.trim().replace(/\s+/g, ' ');
  parseCronSchedule(cron, p.timezone, { cron: `${at.base}/params/cron`, timezone: `${at.base}/params/timezone` });
  // Parsed first, so every spelling of zero (PT0S, PT0M, P0D) means no grace, stored and shown as PT0S.
  const grace = p.grace === undefined ? 'PT0S' : formatIsoDuration(requireIsoDuration(p.grace, `${at.base}/params/grace`, 'body', { zero: true }));
  return { cron, timezone: p.timezone, grace };
}

function durationKind(p: Record<string, unknown>, at: At): DurationParams {
  const hint = 'one of {max_duration} or {factor, runs?}';
  if ('max_duration' in p === 'factor' in p) invalid(at, '/params', `needs exactly ${hint}`);
  if ('max_duration' in p) {
    onlyKeys(p, ['max_duration'], at, hint);
    return { max_duration: duration(p.max_duration, at, 'max_duration') };
  }
  onlyKeys(p, ['factor', 'runs'], at, hint);
  if (typeof p.factor !== 'number' || !Number.isFinite(p.factor) || p.factor <= 1 || p.factor > 1000) {
    invalid(at, '/params/factor', 'must be a number greater than 1 and at most 1000 (times the p95 of recent successful runs)');
  }
  const runs = p.runs ?? DURATION_RUNS.default;
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < DURATION_RUNS.min || runs > DURATION_RUNS.max) {
    invalid(at, '/params/runs', `must be an integer from ${DURATION_RUNS.min} to ${DURATION_RUNS.max}`);
  }
  return { factor: p.factor, runs };
}

/**
 * Validates `params` for `kind` and returns them canonical, or throws an InvalidRequestError naming the field
 * (`/params/max_age`, `/params/cron`, …, prefixed by `base` for an item of a monitors file).
 */
export function normaliseParams(kind: MonitorKind, raw: unknown, base = ''): MonitorParams {
  const at = { base };
  const params = raw ?? {};
  if (typeof params !== 'object' || Array.isArray(params) || params === null) invalid(at, '/params', 'must be an object');
  const p = params as Record<string, unknown>;
  switch (kind) {
    case 'run_failed':
      onlyKeys(p, [], at, 'run_failed takes none');
      return {};
    case 'freshness':
      return freshness(p, at);
    case 'duration':
      return durationKind(p, at);
    case 'stalled':
      onlyKeys(p, ['stall_after'], at, 'stalled takes {stall_after}');
      if (!('stall_after' in p)) invalid(at, '/params/stall_after', 'is required: how long a running run may go without an event');
      return { stall_after: duration(p.stall_after, at, 'stall_after') };
    case 'metric_threshold':
      return metricThreshold(p, at);
    case 'test_failed':
      return testFailed(p, at);
    case 'metric_anomaly':
      return metricAnomaly(p, at);
  }
}

/** Rules across fields: a learned (auto) freshness monitor may only warn. */
export function checkSeverity(kind: MonitorKind, params: MonitorParams, severity: Severity, base = ''): void {
  if (kind === 'freshness' && 'auto' in params && severity !== 'warning') {
    invalid({ base }, '/severity', 'must be warning for a learned (auto) freshness monitor: learned times are a hint, not a promise');
  }
}

/** Next deadline of a cron freshness monitor after `now`: the next occurrence, and it plus grace. */
export function nextDeadline(params: FreshnessCronParams, now: Date): { occurrence: Date; deadline: Date } | null {
  const occurrence = scheduleOf(params).next(now);
  return occurrence ? { occurrence, deadline: new Date(occurrence.getTime() + graceMs(params)) } : null;
}
