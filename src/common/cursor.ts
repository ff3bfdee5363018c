import { DomainError } from './domain-error.js';

export class InvalidCursorError extends DomainError {
  readonly code = 'REQUEST.INVALID_CURSOR';
  constructor() {
    super('cursor is not one this API issued for this query; start again without a cursor');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Checks for the values cursors carry, so a tampered cursor is a 400, never a database error. */
export const isUuid = (v: string) => UUID.test(v);
export const isUtcTimestamp = (v: string) => ISO.test(v);
export const equals = (expected: string) => (v: string) => v === expected;

/**
 * Opaque keyset cursors: base64url JSON of the sort key of the last row returned, plus whatever binds
 * the cursor to its query (e.g. the sort direction).
 */
export function encodeCursor(payload: Record<string, string>): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, checks: Record<K, (value: string) => boolean>): Record<K, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const record = parsed as Record<string, unknown>;
  for (const [key, check] of Object.entries(checks) as [K, (value: string) => boolean][]) {
    const value = record[key];
    if (typeof value !== 'string' || !check(value)) throw new InvalidCursorError();
  }
  return record as Record<K, string>;
}
