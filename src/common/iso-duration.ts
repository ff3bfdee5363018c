import { InvalidRequestError } from './invalid-request.error.js';
import type { InvalidParam } from './problem.js';

/**
 * ISO 8601 durations as monitors and schedules take them (`PT26H`, `PT15M`, `P1D`, `P1DT2H30M`, `PT0.5S`):
 * days, hours, minutes and seconds only. Years, months and weeks are refused, because their length depends
 * on the calendar and a deadline must mean the same number of milliseconds every time.
 */
const PATTERN = /^P(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9}(?:\.\d{1,3})?)S)?)?$/;

/** The longest duration accepted anywhere: a year of days. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Milliseconds of an ISO 8601 duration, or a reason it is refused; zero only with `zero` (a grace: none). */
export function parseIsoDuration(text: string, options: { zero?: boolean } = {}): { ms: number } | { error: string } {
  const match = PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    return { error: 'must be an ISO 8601 duration in days, hours, minutes and seconds, such as PT26H, PT15M or P1DT12H' };
  }
  const [, d, h, m, s] = match;
  const ms = Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Math.round(Number(s ?? 0) * 1000);
  if (ms < 0 || (ms === 0 && !options.zero)) return { error: 'must be longer than zero' };
  if (ms > MAX_DURATION_MS) return { error: 'must be at most 366 days (P366D)' };
  return { ms };
}

/** The milliseconds of `value`, or an InvalidRequestError naming `pointer` (a JSON pointer into the body). */
export function requireIsoDuration(value: unknown, pointer: string, where: InvalidParam['in'] = 'body', options: { zero?: boolean } = {}): number {
  const parsed = typeof value === 'string' ? parseIsoDuration(value, options) : { error: 'must be an ISO 8601 duration string' };
  if ('error' in parsed) throw new InvalidRequestError({ in: where, pointer, detail: parsed.error });
  return parsed.ms;
}

/** The canonical form of a duration in milliseconds (`PT26H`, `P1DT30M`), for storage and display. */
export function formatIsoDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  const seconds = (rest - minutes * 60_000) / 1000;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
