import { describe, expect, it } from '@jest/globals';
import { API_KEY_PATTERN, formatApiKey, prefixOf } from './api-key-format.js';

describe('API key format', () => {
  const key = formatApiKey('0a1b2c3d', 'A'.repeat(42) + '-');

  it('reads the public prefix of a well-formed key', () => {
    expect(key).toBe('pl_0a1b2c3d_' + 'A'.repeat(42) + '-');
    expect(prefixOf(key)).toBe('0a1b2c3d');
  });

  it('finds no prefix in a malformed key, so it is refused before any query', () => {
    for (const bad of ['', 'pl_', 'pl_ABCDEFGH_' + 'a'.repeat(43), 'pl_0000000_' + 'a'.repeat(43), 'pl_00000000_' + 'a'.repeat(42), 'pl_00000000_' + 'a'.repeat(43) + ' ']) {
      expect(prefixOf(bad)).toBeUndefined();
    }
  });

  it('finds a key inside a longer text, capturing its prefix', () => {
    expect(API_KEY_PATTERN.exec(`/v1/x?api_key=${key}&a=1`)?.[1]).toBe('0a1b2c3d');
    expect(API_KEY_PATTERN.test(key.slice(0, -1))).toBe(false);
  });
});
