import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import { decodeCursor, equals, isUtcTimestamp, isUuid } from '../../src/common/cursor.js';
import { anyJson, anyString, metricType, nearMiss, textAccepts, toJson, uuid, uuidNearMiss } from './fuzz-values.js';

// Path parameters, query values, cursors and windows: what the routes' generators share.

/** What the suite arranges before fuzzing, so that service rules (409, 422, 404) can be provoked. */
export interface Fixtures {
  /** The one pipeline with runs. */
  pipeline: string;
  /** A running execution that started at 2000-01-01T00:00:00Z. */
  running: string;
  /** A succeeded execution: every transition but a repeat is a 409. */
  succeeded: string;
}

export const RUNNING_SINCE = '2000-01-01T00:00:00Z';

/** Path segments that are not one value: traversal, NUL, broken percent-encoding, encoded slashes. */
const TRAVERSAL = fc.constantFrom('..', '.', '%2e%2e', '%2E%2E%2F', '%00', '%zz', '%', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%2F', '..;',
  '%C0%AE%C0%AE', '%u002e', '%252e%252e', '....//', '%5C..%5C', '\\..\\', 'a%00.json', '%0d%0aX-Injected:%20x');

/** A path parameter of `schema` (named `name`): valid values, and refused ones, encoded or raw, some too long for the router. */
export function pathParam(schema: TSchema, name: string, valid: fc.Arbitrary<string>, nearMisses: fc.Arbitrary<string>) {
  const refused = fc.oneof(nearMisses, anyString.filter((s) => s.length < 3000))
    .filter((v) => v.isWellFormed() && !textAccepts(schema, { [name]: v }))
    .map(encodeURIComponent);
  return {
    valid: valid.map(encodeURIComponent),
    invalid: fc.oneof({ weight: 6, arbitrary: refused }, { weight: 2, arbitrary: TRAVERSAL }, { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => 'a'.repeat(n)) }),
  };
}

export const urnUuid = fc.uuid().map((u) => `urn:uuid:${u}`);
export const idNearMiss = fc.oneof(uuidNearMiss, urnUuid.map((u) => u.slice(0, -1)), uuid.map((u) => `${u}/`));

/** Text for numeric query parameters: out of range, not finite, other notations, not numbers. */
export const numberish = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('Infinity', '-Infinity', 'NaN', '1e400', '-1e400', '0x10', '0b11', '1_0', '1,5', '', ' ', '\uff11', '1e3', '+5', '.5', '5.', '-0', '0', '501', '1001'),
);

export const windowValue = fc.oneof(
  fc.integer({ min: 1, max: 366 }).map((n) => `${n}d`),
  fc.integer({ min: 1, max: 8784 }).map((n) => `${n}h`),
  fc.integer({ min: 1, max: 9999 }).map((n) => `${n}m`),
);
export const windowNearMiss = fc.oneof(
  nearMiss(windowValue),
  fc.constantFrom('0d', '7w', '7 d', '10000d', 'd', '-1d', '7D', '07d', '1.5d', '7dd', 'P7D', '7days', '', '366d ', '1y'),
);
/** Windows of the right shape that are longer than the 366 days the service allows. */
export const windowTooLong = fc.oneof(fc.integer({ min: 367, max: 9999 }).map((n) => `${n}d`), fc.integer({ min: 8785, max: 9999 }).map((n) => `${n}h`));

export const typeNearMiss = fc.oneof(
  nearMiss(metricType),
  metricType.map((t) => `${t.toUpperCase()}X`),
  fc.integer({ min: 101, max: 300 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('', 'row count', 'row-count', 'Row_Count'),
);

export const cursorNearMiss = fc.oneof(fc.constant(''), fc.integer({ min: 1001, max: 3000 }).map((n) => 'A'.repeat(n)));

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const utc = fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** Month 13 and the like: past the cursor's own checks, refused by PostgreSQL. */
const IMPOSSIBLE = /^\d{4}-(00|1[3-9]|[2-9]\d)-/;

/**
 * Cursors this API never issued: garbage, other JSON, and tampered payloads (a field missing, of another
 * type, bound to another query or run, or a timestamp no calendar has). `checks` are the route's own.
 */
export function forgedCursor(checks: Record<string, (v: string) => boolean>, fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const tampered = Object.fromEntries(Object.entries(fields).map(([k, valid]) => [k, fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 1, arbitrary: valid.map((v) => v.replace(/^(\d{4})-\d\d-/, '$1-13-')) },
    { weight: 1, arbitrary: anyJson },
  )]));
  const refused = (cursor: string) => {
    try {
      return IMPOSSIBLE.test(decodeCursor(cursor, checks).t ?? '');
    } catch {
      return true;
    }
  };
  return fc.oneof(
    anyString,
    fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/),
    fc.record(tampered, { requiredKeys: [] }).map((o) => b64(toJson(o))),
    anyJson.map((v) => b64(toJson(v))),
  ).filter((c) => c.length >= 1 && c.length <= 1000 && c.isWellFormed() && refused(c));
}

/** Forged cursors for a listing sorted by `sort` (the default when the query names none). */
export const listingCursor = (sort: string) =>
  forgedCursor({ s: equals(sort), t: isUtcTimestamp, i: isUuid }, { s: fc.constantFrom(sort, sort.replace('-', ''), ''), t: utc, i: fc.uuid() });

/** Forged cursors for the history of execution `id`. */
export const historyCursor = (id: string) =>
  forgedCursor({ e: equals(id), t: isUtcTimestamp, i: isUuid }, { e: fc.constantFrom(id, id.toUpperCase()), t: utc, i: fc.uuid() });
