/**
 * The one definition of an API key's shape, `pl_<prefix>_<secret>`: the prefix (8 hex characters) is public,
 * shown in listings and used to find the key's row; the secret is 32 random bytes in base64url (43 characters).
 * Auth builds and reads keys with it; logging recognises keys in any text with it, so the two cannot drift.
 */
export const API_KEY_PREFIX = 'pl_';

const PUBLIC_PART = '[0-9a-f]{8}';
const SECRET_PART = '[A-Za-z0-9_-]{43}';

/** A key anywhere in a text (unanchored, not global), capturing its public prefix. */
export const API_KEY_PATTERN = new RegExp(`${API_KEY_PREFIX}(${PUBLIC_PART})_${SECRET_PART}`);

const WHOLE_KEY = new RegExp(`^${API_KEY_PATTERN.source}$`);

/** A key (or, with a placeholder secret, how one is shown) from its public prefix and its secret. */
export function formatApiKey(prefix: string, secret: string): string {
  return `${API_KEY_PREFIX}${prefix}_${secret}`;
}

/** The prefix of a well-formed key, or undefined: a malformed key is rejected before any query. */
export function prefixOf(key: string): string | undefined {
  return WHOLE_KEY.exec(key)?.[1];
}
