import { describe, expect, it } from '@jest/globals';
import { requestHash } from './idempotency.service.js';

describe('requestHash', () => {
  it('is the same for the same JSON whatever the key order', () => {
    expect(requestHash({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(requestHash({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('differs when any value, array order or type differs', () => {
    const base = requestHash({ a: [1, 2], b: '1' });
    expect(requestHash({ a: [2, 1], b: '1' })).not.toBe(base);
    expect(requestHash({ a: [1, 2], b: 1 })).not.toBe(base);
    expect(requestHash({ a: [1, 2], b: '1', c: null })).not.toBe(base);
  });
});
