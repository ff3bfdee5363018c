import { API_KEY_PATTERN, formatApiKey } from '../common/api-key-format.js';

/**
 * Every API key in a text (the shape is src/common/api-key-format.ts, a leaf that logging may import). The
 * prefix is public (it is shown in key listings) and is kept, so that a log line still tells which key was sent.
 */
const API_KEYS = new RegExp(API_KEY_PATTERN.source, 'g');

/** True when `text` holds something shaped like an API key. */
export function holdsApiKey(text: string): boolean {
  return API_KEY_PATTERN.test(text);
}

/** `text` with every API key's secret replaced: `pl_0a1b2c3d_[REDACTED]`. */
export function redactApiKeys(text: string): string {
  return text.replace(API_KEYS, formatApiKey('$1', '[REDACTED]'));
}

/**
 * A copy of a log line's fields with every API key in any string value redacted, however deep and under
 * whatever name (a URL, a query parameter, an unexpected header): the header list in logging.ts only
 * knows the names meant to carry credentials, and a client may send a key anywhere. Errors are left to
 * the err serializer, which scrubs their message and stack.
 */
export function redactApiKeysIn(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactApiKeys(value);
  if (value === null || typeof value !== 'object' || depth > 8 || value instanceof Date || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactApiKeysIn(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactApiKeysIn(item, depth + 1)]));
}
