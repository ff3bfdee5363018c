import { timeOutOfBounds } from '../common/time-bounds.js';
import { LENIENT_DATE_TIME } from './openlineage-validator.js';

// unstorable and MAX_DEPTH live in src/common/storable.ts, shared with metric metadata.
export { MAX_DEPTH, unstorable } from '../common/storable.js';

export interface EventTime {
  /** RFC 3339 with an offset and at most microseconds: what PostgreSQL stores exactly. */
  iso: string;
  /** Milliseconds since the epoch, for comparisons in JavaScript. */
  ms: number;
}

/**
 * eventTime as we store it: without an offset it is read as UTC, digits beyond microseconds (nanosecond
 * producers) are dropped, and the instant must lie within the bounds of every time a client reports
 * (src/common/time-bounds.ts): 1900 to 2999, at most `maxFutureSkewMs` ahead of `now`. A leap second (23:59:60) is refused: neither JavaScript nor PostgreSQL can hold it.
 */
export function parseEventTime(raw: string, now: number, maxFutureSkewMs: number): EventTime | string {
  const m = LENIENT_DATE_TIME.exec(raw);
  if (!m) return 'must be an RFC 3339 date-time';
  if (m[6] === '60') return 'is a leap second, which cannot be stored';
  const fraction = (m[7] ?? '').slice(0, 7);
  const zone = m[8] === undefined || /^z$/i.test(m[8]) ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8].length === 3 ? `${m[8]}:00` : m[8];
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${zone}`;
  const ms = Date.parse(iso);
  const outOfBounds = timeOutOfBounds(ms, now, maxFutureSkewMs);
  return outOfBounds ?? { iso, ms };
}

/** The pipeline an OpenLineage job reports as: its namespace and name, which together identify it. */
export function pipelineNameOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
