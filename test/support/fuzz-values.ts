import fc from 'fast-check';
import type { Ajv, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { buildAjv } from '../../src/http/validation.js';

// Values for the fuzz suite: valid ones to build requests from, and candidates for invalid ones. Whether a
// candidate really is invalid is decided by the app's own JSON Schemas, compiled as src/common/validation.ts
// compiles them (with its own builder), so that a generator meant to be rejected can never send a valid
// request by accident. allErrors off: only whether a value is accepted matters here, not every reason.

const bodyAjv = buildAjv({ coerceTypes: false, allErrors: false });
const textAjv = buildAjv({ coerceTypes: 'array', allErrors: false });
const bodyValidators = new WeakMap<object, ValidateFunction>();
const textValidators = new WeakMap<object, ValidateFunction>();

function compiled(ajv: Ajv, cache: WeakMap<object, ValidateFunction>, schema: TSchema): ValidateFunction {
  let validate = cache.get(schema);
  if (!validate) cache.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** Whether the app accepts `value` as a JSON body of `schema` (no coercion: "5" is not a number). Pass a fresh value: defaults are filled in. */
export function bodyAccepts(schema: TSchema, value: unknown): boolean {
  return compiled(bodyAjv, bodyValidators, schema)(value);
}

/**
 * Whether the app accepts `value` as a query string, path or header object of `schema`: text coerced to
 * numbers and booleans, a lone value to an array; a number that coerces to a non-finite one is refused.
 */
export function textAccepts(schema: TSchema, value: Record<string, unknown>): boolean {
  // AJV coerces in place: validate a copy (values are strings or arrays of strings).
  const data = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
  if (!compiled(textAjv, textValidators, schema)(data)) return false;
  return Object.values(data).flat().every((v) => typeof v !== 'number' || Number.isFinite(v));
}

/** A piece of JSON text spliced verbatim into a body: numbers JSON.stringify cannot write, deep nesting. */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of `value`, with Raw pieces as they are. */
export function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `text` as Fastify's JSON parser (secure-json-parse) reads it: a leading BOM is skipped, and a __proto__
 * key anywhere is refused. Throws when it refuses the text.
 */
export function parseBody(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value: unknown = JSON.parse(json);
  if (/"__proto__"\s*:/.test(json)) throw new Error('__proto__ key');
  return value;
}

/** Whether a route with body `schema` (none: any JSON) refuses `text` sent as application/json. */
export function bodyRefused(schema: TSchema | undefined, text: string): boolean {
  try {
    const value = parseBody(text);
    return schema !== undefined && !bodyAccepts(schema, value);
  } catch {
    return true;
  }
}

// ---- strings --------------------------------------------------------------------------------------------

const ODD_CHARS = ['\u0000', '\u0001', '\u007f', '\t', '\n', '\r', ' ', '"', "'", '\\', '/', '%', '&', '=', '?', '#', '+', ';', '<',
  '\u00e9', '\u0085', '\u00a0', '\u200b', '\u2028', '\u202e', '\ufeff', '\ufffd', '\ud800', '\udfff', '\u{1f600}', '\u0600', '\u{10ffff}'];

const oddChar = fc.constantFrom(...ODD_CHARS);
const oddString = fc.array(fc.oneof(oddChar, fc.string({ unit: 'binary', maxLength: 3 })), { minLength: 1, maxLength: 12 }).map((p) => p.join(''));

/** Long strings: past the 200 and 2048 limits, now and then past 64 KiB. (Past the body limit: see oversized bodies.) */
export const hugeString = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 101, max: 3000 }), fc.constantFrom('x', '\u00e9', '\u{1f600}', 'ab\u0000')).map(([n, c]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 65_000, max: 70_000 }).map((n) => 'e'.repeat(n)) },
);

export const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 4, arbitrary: oddString },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', 'true', '0', '-1', 'NaN', 'Infinity', '1e400', '[]', '{}', 'undefined', "'; drop table api_keys; --", '../../etc/passwd', '%00', '${jndi:x}') },
  { weight: 1, arbitrary: hugeString },
);

/** Text a client can put in an HTTP header value: visible ASCII inside, spaces and obs-text (Latin-1). */
export const headerText = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e\x80-\xff]{0,60}[\x21-\x7e\x80-\xff])?$/);

/** `base` with one character replaced, inserted or removed at a random place. */
export function nearMiss(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.nat(), fc.oneof(oddChar, fc.constantFrom('g', 'Z', '-', ':', '.', '_', 'A', '9')), fc.constantFrom('replace', 'insert', 'remove'))
    .map(([s, at, c, how]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      if (how === 'remove') return s.slice(0, i) + s.slice(i + 1);
      return s.slice(0, i) + c + s.slice(how === 'replace' ? i + 1 : i);
    });
}

// ---- JSON values ----------------------------------------------------------------------------------------

/** Nesting far deeper than any field needs: arrays or objects, thousands of levels. */
export const deepJson = fc.tuple(fc.integer({ min: 20, max: 6_000 }), fc.boolean()).map(([n, arrays]) =>
  new Raw(arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
);

/** Numbers JSON.stringify cannot write: out of double range, -0, long mantissas, exponents. */
export const oddNumber = fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '0.0', '1.0', '1E2', '9007199254740993', '123456789012345678901234567890', '4.9e-324', '1.7976931348623157e308').map((t) => new Raw(t));

export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), oddNumber) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: deepJson },
);

// ---- domain values --------------------------------------------------------------------------------------

export const pipelineName = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,30}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/) },
);
export const metricType = fc.stringMatching(/^[a-z0-9_.]{1,40}$/);
export const uuid = fc.oneof(fc.uuid(), fc.uuid({ version: 7 }), fc.uuid().map((u) => u.toUpperCase()));

const YEAR_1900 = Date.UTC(1900, 0, 2);
export const pastTimestamp = fc.date({ min: new Date(YEAR_1900), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
export const timestamp = fc.oneof(
  pastTimestamp,
  fc.date({ min: new Date(YEAR_1900), max: new Date('2999-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+00:00')),
  fc.constantFrom('2026-11-21T13:27:20.012345Z', '2026-11-21T13:27:20-05:30', '1900-01-02T00:00:00Z'),
);

/** Timestamps the schema refuses: naive, impossible, out of range, leap seconds, bad offsets, other formats. */
export const timestampNearMiss = fc.oneof(
  nearMiss(timestamp),
  timestamp.map((t) => t.replace(/(Z|[+-]\d\d:\d\d)$/, '')),
  timestamp.map((t) => t.replace('T', ' ')),
  timestamp.map((t) => t.toLowerCase()),
  fc.tuple(timestamp, fc.constantFrom('0000', '1899', '3000', '9999', '+12026', '-0001')).map(([t, y]) => y + t.slice(4)),
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z', '2016-12-31T23:59:60Z', '2026-01-01T00:00:00.1234567Z', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00+0530',
    '2026-01-01T00:00:00 UTC', '2026-11-21', '10:00:00Z', '1732195200', 'Sat, 21 Nov 2026 10:00:00 GMT', '9999-12-31T23:59:59-01:00', 'now'),
);

export const uuidNearMiss = fc.oneof(
  nearMiss(fc.uuid()),
  fc.uuid().map((u) => u.replaceAll('-', '')),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `${u}\u0000`),
  fc.constantFrom('0', '00000000-0000-0000-0000-00000000000', 'not-a-uuid', 'null'),
);

export const nameNearMiss = fc.oneof(
  nearMiss(pipelineName),
  fc.tuple(fc.constantFrom('.', '_', '-', '/', ':', ' ', '\u0000', '\u00e9'), pipelineName).map(([c, n]) => c + n),
  fc.integer({ min: 201, max: 1000 }).map((n) => 'p'.repeat(n)),
  fc.constantFrom('', '..', '../etc/passwd', 'a b', 'a\tb', 'orders%20etl', 'ørders'),
);
