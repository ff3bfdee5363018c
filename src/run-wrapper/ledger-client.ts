import type { ClientConfig } from '../config/client.config.js';

/** The service's answer, or why there is none: `reason` is fit to print (never the key). */
export type Reply =
  | { ok: true; status: number }
  | { ok: false; status: number | undefined; reason: string; retriable: boolean };

/** Network trouble, a timeout, 408, 429 and 5xx may pass; 400, 401, 403 and 409 will answer the same again. */
const retriable = (status: number) => status === 408 || status === 429 || status >= 500;

/** A problem+json's stable code (`AUDIT.ILLEGAL_TRANSITION`), if the body is one. */
function problemCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z_]+\.[A-Z_]+$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Why fetch threw: a timeout, or the socket's error code (ECONNREFUSED, ENOTFOUND, a certificate's). */
function failureOf(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * POSTs to the service with Node's fetch, each request bounded by PIPELINE_LEDGER_TIMEOUT_MS (and by the
 * caller's `deadline` when given), never throwing: the caller decides what a failure means.
 */
export class LedgerClient {
  private readonly base: URL;

  constructor(private readonly config: ClientConfig) {
    // A path prefix (https://gateway/ledger) is kept: relative paths resolve below it.
    this.base = new URL(config.url.href.endsWith('/') ? config.url.href : `${config.url.href}/`);
  }

  get timeoutMs(): number {
    return this.config.timeoutMs;
  }

  /** The service, for messages: the URL as configured, which holds no credentials (the config refuses them). */
  get where(): string {
    return this.config.url.href.replace(/\/$/, '');
  }

  async post(path: string, body: object, deadline?: AbortSignal): Promise<Reply> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    try {
      const response = await fetch(new URL(path, this.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.config.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout,
        redirect: 'error',
      });
      const text = await response.text();
      if (response.ok) return { ok: true, status: response.status };
      const code = problemCode(text);
      return { ok: false, status: response.status, reason: `HTTP ${response.status}${code ? ` ${code}` : ''}`, retriable: retriable(response.status) };
    } catch (error) {
      return { ok: false, status: undefined, reason: failureOf(error, this.config.timeoutMs), retriable: true };
    }
  }
}
