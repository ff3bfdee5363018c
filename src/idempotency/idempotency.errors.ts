import { DomainError } from '../common/domain-error.js';

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor() {
    super('this API key used this Idempotency-Key on this route with a different request body within the last 24 hours');
  }
}
