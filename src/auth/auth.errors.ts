import { DomainError } from '../common/domain-error.js';

export class MissingApiKeyError extends DomainError {
  readonly code = 'AUTH.MISSING_KEY';
  constructor() {
    super('this route needs an API key: send Authorization: Bearer <key>');
    this.headers['www-authenticate'] = 'Bearer realm="pipeline-ledger"';
  }
}

/** One answer for unknown, malformed and revoked keys: which of them it was is not the caller's business. */
export class InvalidApiKeyError extends DomainError {
  readonly code = 'AUTH.INVALID_KEY';
  constructor() {
    super('the API key is not valid (unknown, malformed or revoked)');
    this.headers['www-authenticate'] = 'Bearer realm="pipeline-ledger", error="invalid_token"';
  }
}

export class InsufficientScopeError extends DomainError {
  readonly code = 'AUTH.INSUFFICIENT_SCOPE';
  constructor(required: string) {
    super(`this route needs an API key with the "${required}" scope`);
    this.extensions.required_scope = required;
    this.headers['www-authenticate'] = `Bearer realm="pipeline-ledger", error="insufficient_scope", scope="${required}"`;
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'AUTH.RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests for this API key; retry in ${retryAfterSeconds} s`);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

/** Too many failed authentications from one address: refused before any key lookup. */
export class TooManyAuthFailuresError extends DomainError {
  readonly code = 'AUTH.TOO_MANY_FAILURES';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications from this address; retry in ${retryAfterSeconds} s`);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'AUTH.KEY_NOT_FOUND';
  constructor(id: string) {
    super(`no API key with id ${id}`);
  }
}

/** Without an active admin key nobody can manage keys, and a restart creates no new one. */
export class LastAdminKeyError extends DomainError {
  readonly code = 'AUTH.LAST_ADMIN_KEY';
  constructor(id: string) {
    super(`API key ${id} is the last active admin key and cannot be revoked: to rotate it, create a new admin key first (api-keys create --scopes admin), then revoke this one`);
  }
}
