import { describe, expect, it } from '@jest/globals';
import { requestIdFrom } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps an id of up to 128 letters, digits and . _ -', () => {
    expect(requestIdFrom('req-1.2_3-abc')).toBe('req-1.2_3-abc');
    expect(requestIdFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(requestIdFrom('a'.repeat(128))).toBe('a'.repeat(128));
  });

  it('generates a UUID when the header is missing, empty, too long, repeated or has other characters', () => {
    for (const bad of [undefined, '', 'a'.repeat(129), ['a', 'b'], 'has space', 'quote"', 'new\nline', 'ünï', 'trace:1', 'a/b', 'a;b']) {
      expect(requestIdFrom(bad)).toMatch(UUID);
    }
  });

  it('generates a UUID instead of an id shaped like an API key, which would be echoed and logged', () => {
    const key = `pl_0a1b2c3d_${'k'.repeat(43)}`;
    expect(requestIdFrom(key)).toMatch(UUID);
    expect(requestIdFrom(`req-${key}`)).toMatch(UUID);
  });

  it('generates a different id each time', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
