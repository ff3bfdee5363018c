import type { InvalidParam } from './problem.js';
import { InvalidRequestError } from './invalid-request.error.js';

/**
 * The instants a client may report (a run's started_at and completed_at, a metric's recorded_at, an
 * OpenLineage eventTime): the years 1900 to 2999 in UTC, as PostgreSQL and JavaScript both hold them and
 * as docs/api.md documents, and at most `maxFutureSkewMs` (METRICS_MAX_FUTURE_SKEW_MS, producers' clock
 * skew) ahead of `now`. One bogus time would otherwise sort first for centuries ("last run: year 2999").
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2999;

/** What is wrong with the instant `ms` as a reported time, or undefined when nothing is. */
export function timeOutOfBounds(ms: number, now: number, maxFutureSkewMs: number): string | undefined {
  const year = new Date(ms).getUTCFullYear();
  if (!Number.isFinite(ms) || year < FIRST_YEAR || year > LAST_YEAR) return `must fall in the years ${FIRST_YEAR} to ${LAST_YEAR} (UTC)`;
  if (ms > now + maxFutureSkewMs) return `is more than ${maxFutureSkewMs} ms in the future`;
  return undefined;
}

/** The problems of reported times, keyed by their JSON pointer (absent times are fine: they default to now). */
export function reportedTimeProblems(times: Record<string, string | undefined>, now: number, maxFutureSkewMs: number): InvalidParam[] {
  return Object.entries(times).flatMap(([pointer, value]) => {
    const detail = value === undefined ? undefined : timeOutOfBounds(Date.parse(value), now, maxFutureSkewMs);
    return detail ? [{ in: 'body' as const, pointer, detail }] : [];
  });
}

/** Refuses (400 naming each field) reported times outside the bounds. */
export function assertReportedTimes(times: Record<string, string | undefined>, now: number, maxFutureSkewMs: number): void {
  const problems = reportedTimeProblems(times, now, maxFutureSkewMs);
  if (problems.length > 0) throw new InvalidRequestError(...problems);
}
