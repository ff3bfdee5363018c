import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatApiKey } from '../common/api-key-format.js';

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * A new key in the shape of src/common/api-key-format.ts: a random public prefix and a secret of 32 random
 * bytes. Only the SHA-256 of the whole key is stored.
 */
export function generateKey(): NewKey {
  const prefix = randomBytes(4).toString('hex');
  const key = formatApiKey(prefix, randomBytes(32).toString('base64url'));
  return { key, prefix, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash (both hashed to 32 bytes first). */
export function keyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The credentials of an `Authorization: Bearer <key>` header; undefined when absent or of another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}
