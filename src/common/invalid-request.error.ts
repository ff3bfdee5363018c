import { DomainError } from './domain-error.js';
import type { InvalidParam } from './problem.js';

/** Input that passed the schema but not a rule the schema cannot express; answered 400 like schema errors. */
export class InvalidRequestError extends DomainError {
  readonly code = 'REQUEST.INVALID';
  override readonly extensions: Record<string, unknown>;

  constructor(...params: InvalidParam[]) {
    super(params.map((p) => `${p.in} ${p.pointer} ${p.detail}`).join('; '));
    this.extensions = { errors: params };
  }
}
