import { describe, expect, it } from '@jest/globals';
import { MAX_DEPTH, parseEventTime, unstorable } from './event-checks.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const SKEW = 60_000;

describe('parseEventTime', () => {
  it('reads a time without a zone as UTC and keeps microseconds', () => {
    expect(parseEventTime('2020-12-28T19:51:01.641499', NOW, SKEW)).toEqual({ iso: '2020-12-28T19:51:01.641499Z', ms: Date.parse('2020-12-28T19:51:01.641Z') });
  });

  it('drops digits beyond microseconds (nanosecond producers) instead of rounding', () => {
    expect(parseEventTime('2020-12-28T19:51:01.123456789Z', NOW, SKEW)).toMatchObject({ iso: '2020-12-28T19:51:01.123456Z' });
  });

  it('writes offsets the way PostgreSQL and JavaScript both read them', () => {
    expect(parseEventTime('2020-12-28T19:52:00.001+1000', NOW, SKEW)).toMatchObject({ iso: '2020-12-28T19:52:00.001+10:00', ms: Date.parse('2020-12-28T09:52:00.001Z') });
    expect(parseEventTime('2020-12-28T19:52:00-05', NOW, SKEW)).toMatchObject({ iso: '2020-12-28T19:52:00-05:00' });
    expect(parseEventTime('2020-12-28t19:52:00z', NOW, SKEW)).toMatchObject({ iso: '2020-12-28T19:52:00Z' });
  });

  it('refuses leap seconds and instants outside 1900 to 2999 (UTC)', () => {
    expect(parseEventTime('2016-12-31T23:59:60Z', NOW, SKEW)).toMatch(/leap second/);
    expect(parseEventTime('1899-12-31T23:59:59Z', NOW, SKEW)).toMatch(/1900 to 2999/);
    expect(parseEventTime('2999-12-31T23:00:00-05:00', NOW, SKEW)).toMatch(/1900 to 2999/);
    expect(parseEventTime('1900-01-01T00:00:00Z', NOW, SKEW)).toMatchObject({ iso: '1900-01-01T00:00:00Z' });
  });

  it('refuses an instant more than the skew ahead of now', () => {
    expect(parseEventTime('2026-11-21T12:01:00Z', NOW, SKEW)).toMatchObject({ iso: '2026-11-21T12:01:00Z' });
    expect(parseEventTime('2026-11-21T12:01:00.001Z', NOW, SKEW)).toMatch(/60000 ms in the future/);
  });
});

describe('unstorable', () => {
  it('finds what jsonb cannot hold, with its pointer', () => {
    expect(unstorable({ a: [{ b: 'x\u0000y' }] })).toEqual({ in: 'body', pointer: '/a/0/b', detail: expect.stringMatching(/NUL/) });
    expect(unstorable({ 'a/b~': '\ud800' })?.pointer).toBe('/a~1b~0');
    expect(unstorable({ n: Number.POSITIVE_INFINITY })?.detail).toBe('must be a finite number');
    expect(unstorable({ ['k\u0000']: 1 })?.detail).toMatch(/key/);
    expect(unstorable({ a: ['\ud83d\ude00', 1.5, null, true, { b: 'ok' }] })).toBeUndefined();
  });

  it('refuses nesting beyond MAX_DEPTH without recursing (no stack overflow on 100,000 levels)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorable(deep)?.detail).toMatch(/nested more than/);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_DEPTH; i++) ok = { a: ok };
    expect(unstorable(ok)).toBeUndefined();
  });
});
