import type { ErrorCode } from './error-codes.js';

/**
 * Base of every error a service throws on purpose. `code` is stable (FEATURE.REASON) and is what the
 * error filter maps to an HTTP status; the message is for humans.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra members for the problem+json body (RFC 9457 extensions); never secrets or internals. */
  readonly extensions: Record<string, unknown> = {};
  /** Whether the message is safe to show even on a 5xx (it describes no internals). */
  readonly expose: boolean = false;
  /** Response headers the answer must carry (WWW-Authenticate on a 401, Retry-After on a 429). */
  readonly headers: Record<string, string> = {};
  /** Whether answering it needs no log line (e.g. a failed probe, which its indicator logs on change). */
  readonly quiet: boolean = false;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
