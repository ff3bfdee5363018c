/**
 * Base of every error a service throws on purpose. `code` is stable (FEATURE.REASON) and is what the
 * error filter maps to an HTTP status; the message is for humans.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
