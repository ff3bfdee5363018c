import { parseCronSchedule, type CronSchedule } from '../common/schedule.js';

/** Parsed schedules by cron and zone: a page repeats a few schedules, and building a croner job is most of a row's cost. */
const parsed = new Map<string, CronSchedule>();
const PARSED_MAX = 1000;

function cronOf(cron: string, timezone: string): CronSchedule {
  const key = `${cron}\u0000${timezone}`;
  let schedule = parsed.get(key);
  if (!schedule) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    // Stored schedules were validated on PUT; the pointers only matter for a request.
    schedule = parseCronSchedule(cron, timezone, { cron: '/schedule/cron', timezone: '/schedule/timezone' });
    parsed.set(key, schedule);
  }
  return schedule;
}

export const PIPELINE_HEALTH = ['healthy', 'failing', 'late', 'running', 'unknown'] as const;
export type PipelineHealth = (typeof PIPELINE_HEALTH)[number];

/** What decides a pipeline's health, as the listing reads it. */
export interface HealthInputs {
  schedule: { cron: string; timezone: string } | { everyMs: number } | null;
  lastRun: { status: string; attempt: number; maxAttempts: number | null } | null;
  /** coalesce(nominal_time, started_at) of the newest success, RFC 3339, or null. */
  lastCoveredAt: string | null;
  /** When the pipeline was first seen or declared: the base of the schedule before any success. */
  since: string;
}

/**
 * When the next run is expected: after the last covered period (else since the pipeline exists), the cron
 * schedule's next occurrence, or that time plus `every`. Null without a schedule, or for a cron expression
 * that never fires again.
 */
export function nextExpectedAt(inputs: HealthInputs): Date | null {
  const { schedule } = inputs;
  if (!schedule) return null;
  const base = new Date(inputs.lastCoveredAt ?? inputs.since);
  if ('everyMs' in schedule) return new Date(base.getTime() + schedule.everyMs);
  return cronOf(schedule.cron, schedule.timezone).next(base);
}

/**
 * One state, by precedence: unknown (no run yet) → running (the latest run is pending or running) → failing
 * (the latest run failed on its final attempt; one that will be retried is not failing yet) → late (the
 * next expected run is overdue at `now`) → healthy.
 */
export function healthOf(inputs: HealthInputs, next: Date | null, now: Date): PipelineHealth {
  const run = inputs.lastRun;
  if (!run) return 'unknown';
  if (run.status === 'pending' || run.status === 'running') return 'running';
  if (run.status === 'failed' && run.attempt >= (run.maxAttempts ?? 1)) return 'failing';
  if (next && next.getTime() < now.getTime()) return 'late';
  return 'healthy';
}
