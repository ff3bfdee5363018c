import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { prefixOf } from '../common/api-key-format.js';
import { bearerToken, generateKey, hashKey, keyMatches } from './api-key-credentials.js';

describe('API key credentials', () => {
  it('generates pl_<8 hex>_<43 base64url> keys whose prefix and hash are what is stored', () => {
    const { key, prefix, hash } = generateKey();
    expect(key).toMatch(/^pl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(prefixOf(key)).toBe(prefix);
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(generateKey().key).not.toBe(key);
  });

  it('matches a key only against its own hash', () => {
    const a = generateKey();
    const b = generateKey();
    expect(keyMatches(a.key, a.hash)).toBe(true);
    expect(keyMatches(a.key, b.hash)).toBe(false);
    expect(keyMatches(a.key, 'not-hex')).toBe(false);
    expect(hashKey(a.key)).toBe(a.hash);
  });

  it('reads the Bearer scheme case-insensitively and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
