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
  /** The position to store (the next occurrence and its deadline); null: leave it as it is. */
  next: { occurrence: Date | null; deadline: Date | null } | null;
}

const POINTERS = { cron: '/params/cron', timezone: '/params/timezone' };

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
  } catch {
    // Stored params are validated by the API; a time zone this runtime no longer knows checks nothing.
    return { checked: null, checkedDeadline: null, next: null };
  }
  const grace = graceMs(params);
  const moveFrom = (from: Date) => {
    const occurrence = schedule.next(from);
    return { occurrence, deadline: plus(occurrence, grace) };
  };
  if (!position.deadline) {
    return { checked: null, checkedDeadline: null, next: moveFrom(new Date(now.getTime() - grace)) };
  }
  if (position.deadline.getTime() <= now.getTime()) {
    const checked = schedule.previous(new Date(now.getTime() - grace));
    return { checked, checkedDeadline: plus(checked, grace), next: checked ? moveFrom(checked) : moveFrom(now) };
  }
  if (open && position.occurrence) {
    const checked = schedule.previous(new Date(position.occurrence.getTime() - 1));
    return { checked, checkedDeadline: plus(checked, grace), next: null };
  }
  return { checked: null, checkedDeadline: null, next: null };
}
