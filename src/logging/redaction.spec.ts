import { describe, expect, it } from '@jest/globals';
import { generateKey } from '../auth/api-key-credentials.js';
import { holdsApiKey, redactApiKeys, redactApiKeysIn } from './redaction.js';

describe('API key redaction', () => {
  const { key, prefix } = generateKey();

  it('recognises a generated key, alone or inside a URL, and nothing shorter', () => {
    expect(holdsApiKey(key)).toBe(true);
    expect(holdsApiKey(`/v1/x?api_key=${key}&a=1`)).toBe(true);
    expect(holdsApiKey(key.slice(0, -1))).toBe(false);
    expect(holdsApiKey('pl_notakey')).toBe(false);
  });

  it('keeps the public prefix and drops the secret, every time it appears', () => {
    expect(redactApiKeys(`a ${key} b ${key}`)).toBe(`a pl_${prefix}_[REDACTED] b pl_${prefix}_[REDACTED]`);
  });

  it('redacts keys at any depth of a log line, leaving other values and errors as they are', () => {
    const error = new Error('boom');
    const fields = { req: { url: `/x/${key}`, headers: { 'x-odd': [key] } }, n: 1, err: error };
    expect(redactApiKeysIn(fields)).toEqual({ req: { url: `/x/pl_${prefix}_[REDACTED]`, headers: { 'x-odd': [`pl_${prefix}_[REDACTED]`] } }, n: 1, err: error });
  });
});
