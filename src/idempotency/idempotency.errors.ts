import { DomainError } from '../common/domain-error.js';

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor() {
    super('this Idempotency-Key was used with a different request body within the last 24 hours');
  }
}
