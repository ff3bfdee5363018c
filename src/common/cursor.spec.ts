import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, equals, InvalidCursorError, isUtcTimestamp, isUuid } from './cursor.js';

const checks = { s: equals('-started_at'), t: isUtcTimestamp, i: isUuid };
const valid = { s: '-started_at', t: '2026-11-21T13:27:20.012345Z', i: '0190a1b2-0000-7000-8000-000000000001' };

describe('keyset cursors', () => {
  it('round-trip the sort key they carry', () => {
    const cursor = encodeCursor(valid);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, checks)).toEqual(valid);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON that is not an object', Buffer.from('42').toString('base64url')],
    ['an object missing a key', encodeCursor({ s: '-started_at', t: valid.t })],
    ['a cursor for the other sort order', encodeCursor({ ...valid, s: 'started_at' })],
    ['a tampered timestamp', encodeCursor({ ...valid, t: "2026-11-21'; drop table x; --" })],
    ['a tampered id', encodeCursor({ ...valid, i: 'not-a-uuid' })],
  ])('reject %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, checks)).toThrow(InvalidCursorError);
  });
});
