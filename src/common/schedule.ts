import { Cron } from 'croner';
import { InvalidRequestError } from './invalid-request.error.js';

/**
 * When a pipeline is expected to run: a 5-field cron expression read in an IANA time zone (croner, chosen in
 * docs/jobs.md for agreeing `next` and `previous` across DST). DST rules, as croner applies them: a time
 * inside a spring-forward gap fires once at the first valid minute after it (02:30 → 03:00); a time that
 * occurs twice in autumn fires once, at its first occurrence; `*` and stepped hours fire on both passes.
 */
export interface CronSchedule {
  /** The first occurrence strictly after `from`, or null when the expression never fires again. */
  next(from: Date): Date | null;
  /** The last occurrence at or before `at`, or null when there is none. */
  previous(at: Date): Date | null;
}

/** Where a bad cron or time zone is reported (JSON pointers into the request body). */
export interface SchedulePointers {
  cron: string;
  timezone: string;
}

/** True when `zone` is a time zone this runtime's Intl knows (UTC and Etc/* included, unlike supportedValuesOf). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses `cron` in `timezone`, or throws an InvalidRequestError naming the field that is wrong. */
export function parseCronSchedule(cron: string, timezone: string, at: SchedulePointers): CronSchedule {
  if (!isTimeZone(timezone)) {
    throw new InvalidRequestError({ in: 'body', pointer: at.timezone, detail: `is not an IANA time zone this server knows (such as Europe/Berlin or UTC): ${JSON.stringify(timezone.slice(0, 64))}` });
  }
  let job: Cron;
  try {
    job = new Cron(cron, { timezone, paused: true, mode: '5-part' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidRequestError({ in: 'body', pointer: at.cron, detail: `is not a 5-field cron expression (minute hour day-of-month month day-of-week): ${reason}` });
  }
  return {
    next: (from) => job.nextRun(from),
    // croner's previousRuns(n, ref) returns occurrences strictly before ref; one millisecond later makes it "at or before".
    previous: (at) => job.previousRuns(1, new Date(at.getTime() + 1))[0] ?? null,
  };
}

/** A fixed-interval expectation (`every`): the next expected time after the last covered one. */
export function nextEvery(lastCovered: Date, everyMs: number): Date {
  return new Date(lastCovered.getTime() + everyMs);
}
