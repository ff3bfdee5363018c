import { DomainError } from '../common/domain-error.js';

/** A header value as a problem quotes it: short, quoted. */
const quoted = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

export class UnsupportedContentEncodingError extends DomainError {
  readonly code = 'REQUEST.UNSUPPORTED_CONTENT_ENCODING';
  constructor(encoding: string) {
    super(`Content-Encoding ${quoted(encoding)} is not supported; send the body uncompressed or as gzip, deflate or br`);
  }
}

export class UnsupportedCharsetError extends DomainError {
  readonly code = 'REQUEST.UNSUPPORTED_CHARSET';
  constructor(charset: string) {
    super(`charset ${quoted(charset)} is not supported; send the body as UTF-8 (charset=utf-8, or no charset)`);
  }
}

export class DecodedBodyTooLargeError extends DomainError {
  readonly code = 'REQUEST.BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`the body is larger than ${limit} bytes once decompressed`);
  }
}
