import { InvalidRequestError } from './invalid-request.error.js';

/** A look-back window such as 30m, 24h or 7d: a number and a unit. */
export const WINDOW_PATTERN = '^[1-9][0-9]{0,3}[mhd]$';

const UNIT = { m: 'minutes', h: 'hours', d: 'days' } as const;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_WINDOW_MS = 366 * 86_400_000;

export function windowMs(window: string): number {
  return Number(window.slice(0, -1)) * UNIT_MS[window.slice(-1) as keyof typeof UNIT_MS];
}

/** "7d" → "7 days" for SQL, refusing windows over 366 days (the schema has already checked the shape). */
export function windowInterval(window: string, param: string): string {
  if (windowMs(window) > MAX_WINDOW_MS) {
    throw new InvalidRequestError({ in: 'query', pointer: `/${param}`, detail: 'must be at most 366d' });
  }
  return `${window.slice(0, -1)} ${UNIT[window.slice(-1) as keyof typeof UNIT]}`;
}
