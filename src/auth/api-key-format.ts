import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `pl_<prefix>_<secret>`: the prefix (8 hex characters) is public, shown in listings and
 * used to find the key's row; the secret is 32 random bytes. Only the SHA-256 of the whole key is stored.
 */
const KEY = /^pl_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): NewKey {
  const prefix = randomBytes(4).toString('hex');
  const key = `pl_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The prefix of a well-formed key, or undefined: a malformed key is rejected before any query. */
export function prefixOf(key: string): string | undefined {
  return KEY.exec(key)?.[1];
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
