import { randomUUID } from 'node:crypto';
import { holdsApiKey } from '../logging/redaction.js';

export const REQUEST_ID_HEADER = 'x-request-id';

// Short, and only characters that need no quoting anywhere (a header, a log line, a URL, a file name): the
// shape issue 16 asks for. A W3C traceparent (hex and dashes) and a UUID fit; nothing the service or its
// tests send needs more.
const ACCEPTED = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The caller's X-Request-Id when it is acceptable, else a fresh UUID (so one id follows each request). An
 * id shaped like an API key is refused: it would be echoed in a header, the problem and every log line.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED.test(header) && !holdsApiKey(header) ? header : randomUUID();
}
