import { parseIsoDuration } from '../../common/iso-duration.js';
import { parseCronSchedule, type CronSchedule } from '../../common/schedule.js';

export interface CronParams {
  cron: string;
  timezone: string;
  grace?: string;
}

/** What the tick does with one cron freshness monitor. */
export interface DeadlinePlan {
  /** The occurrence the pipeline must have covered, checked now; null: nothing to check this tick. */
  checked: Date | null;
  /** When `checked` was due (occurrence + grace). */
  checkedDeadline: Date | null;
  /** The earliest covered period that still counts for `checked`: a run may start a little early (EARLY_START_MS). */
  checkedFrom: Date | null;
  /** The position to store (the next occurrence and its deadline); null: leave it as it is. */
  next: { occurrence: Date | null; deadline: Date | null } | null;
  /** Set when the stored schedule cannot be read here (a time zone this runtime no longer knows): why. */
  unreadable?: string;
}

const POINTERS = { cron: '/params/cron', timezone: '/params/timezone' };
const NOTHING = { checked: null, checkedDeadline: null, checkedFrom: null };

/**
 * How early a run may start and still cover an occurrence: a scheduler that fires at 05:59:59 for the 06:00
 * slot ran on time. At most half the gap to the previous occurrence, so with a job every minute a run is
 * never counted for the wrong slot.
 */
export const EARLY_START_MS = 5 * 60_000;

function earliestCovering(schedule: CronSchedule, occurrence: Date): Date {
  const previous = schedule.previous(new Date(occurrence.getTime() - 1));
  const halfGap = previous ? (occurrence.getTime() - previous.getTime()) / 2 : EARLY_START_MS;
  return new Date(occurrence.getTime() - Math.min(EARLY_START_MS, halfGap));
}

export function graceMs(params: CronParams): number {
  if (!params.grace) return 0;
  const parsed = parseIsoDuration(params.grace);
  return 'ms' in parsed ? parsed.ms : 0;
}

function plus(at: Date | null, ms: number): Date | null {
  return at && new Date(at.getTime() + ms);
}

/**
 * Where a cron freshness monitor stands at `now`, given its stored position:
 * - never positioned: start at the first occurrence whose deadline is after now (a new monitor never fires
 *   for a deadline that passed before it existed);
 * - due (`next_deadline_at <= now`): check the occurrence just passed, `previous(now - grace)`, which after a
 *   downtime skips the deadlines missed meanwhile to the newest one, then move to the occurrence after it;
 * - not due but with an open incident: check the occurrence before the stored one again (the missed one), to
 *   see it recover; the position stays.
 * `previous` and `next` agree across DST (src/common/schedule.ts), so the position never skips or repeats one.
 */
export function planDeadline(
  params: CronParams,
  position: { occurrence: Date | null; deadline: Date | null },
  now: Date,
  open: boolean,
): DeadlinePlan {
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(params.cron, params.timezone, POINTERS);
  } catch (error) {
    // Stored params are validated by the API; a time zone this runtime no longer knows checks nothing
    // rather than failing the whole tick, and says so (the caller logs it).
    return { ...NOTHING, next: null, unreadable: error instanceof Error ? error.message : String(error) };
  }
  const grace = graceMs(params);
  const check = (checked: Date | null) => ({ checked, checkedDeadline: plus(checked, grace), checkedFrom: checked && earliestCovering(schedule, checked) });
  const moveFrom = (from: Date) => {
    const occurrence = schedule.next(from);
    return { occurrence, deadline: plus(occurrence, grace) };
  };
  if (!position.deadline) {
    return { ...NOTHING, next: moveFrom(new Date(now.getTime() - grace)) };
  }
  if (position.deadline.getTime() <= now.getTime()) {
    const checked = schedule.previous(new Date(now.getTime() - grace));
    return { ...check(checked), next: checked ? moveFrom(checked) : moveFrom(now) };
  }
  if (open && position.occurrence) {
    const checked = schedule.previous(new Date(position.occurrence.getTime() - 1));
    return { ...check(checked), next: null };
  }
  return { ...NOTHING, next: null };
}
