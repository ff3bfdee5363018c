import { HttpException, HttpStatus } from '@nestjs/common';
import {
  CheckConstraintViolationException,
  ConnectionException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  NotNullConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { DomainError } from '../common/domain-error.js';
import { ERROR_CODES } from '../common/error-codes.js';
import { problem, type InvalidParam, type Problem } from '../common/problem.js';

/** What Fastify attaches to a request that failed schema validation. */
interface FastifyValidationError extends Error {
  validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[];
  validationContext?: string;
}

const LOCATION: Record<string, InvalidParam['in']> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function isValidationError(error: unknown): error is FastifyValidationError {
  return Array.isArray((error as FastifyValidationError)?.validation);
}

/** AJV's findings as {in, pointer, detail}; the pointer names the field itself for unknown or missing ones. */
export function invalidParams(error: FastifyValidationError): InvalidParam[] {
  const where = LOCATION[error.validationContext ?? 'body'] ?? 'body';
  // An if/then rule reports both the inner failure and "must match then schema": keep the useful one.
  const findings = error.validation.filter(({ keyword }) => keyword !== 'if');
  return findings.map(({ instancePath, keyword, params, message }) => {
    if (keyword === 'false schema') return { in: where, pointer: instancePath, detail: 'is not allowed here' };
    if (keyword === 'additionalProperties') {
      return { in: where, pointer: `${instancePath}/${String(params.additionalProperty)}`, detail: 'is not a known field' };
    }
    if (keyword === 'required') {
      return { in: where, pointer: `${instancePath}/${String(params.missingProperty)}`, detail: 'is required' };
    }
    return { in: where, pointer: instancePath || '/', detail: message ?? keyword };
  });
}

// Errors of a database that is unreachable, restarting or out of resources, or that gave up on a statement
// (statement_timeout 57014, lock_timeout 55P03), or chose this transaction as a deadlock or serialization
// victim (40P01, 40001: nothing was written, a retry succeeds): SQLSTATE classes 08 (connection), 53 (insufficient
// resources) and 57 (operator intervention: shutdown, cannot connect now, cancelled), and the socket's
// errors, our own process's lack of file descriptors for a new connection (EMFILE, ENFILE) included.
// MikroORM's PostgreSQL converter wraps none of these in a typed exception; they keep their code. So does
// the request's database deadline (database/request-deadline.ts) when an ORM call wraps it.
const UNAVAILABLE_CODES = new Set([
  'DATABASE.UNAVAILABLE', '55P03', '40001', '40P01', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'EMFILE', 'ENFILE',
]);
const UNAVAILABLE_CLASSES = /^(08|53|57)[0-9A-Z]{3}$/;
// The pg driver's own errors carry no code. "is not queryable": a statement on a pooled connection whose
// server went away between two statements of a transaction. "Query read timeout": query_timeout, the
// client-side backstop to statement_timeout for a server that stops answering.
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connect (ECONNREFUSED|EMFILE|ENFILE)|is not queryable|Query read timeout/;

function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException || error instanceof LockWaitTimeoutException) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.test(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.test(message);
}

/** Maps anything thrown while serving a request to the problem the client sees. No internals leak. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    const status = ERROR_CODES[error.code].status;
    const detail = status >= 500 && !error.expose ? undefined : error.message;
    return { ...error.extensions, ...problem(status), code: error.code, detail };
  }
  if (isValidationError(error)) {
    const errors = invalidParams(error);
    const detail = errors.map((e) => `${e.in} ${e.pointer} ${e.detail}`).join('; ');
    return { ...problem(HttpStatus.BAD_REQUEST), code: 'REQUEST.INVALID', detail, errors };
  }
  if (error instanceof UniqueConstraintViolationException) {
    return { ...problem(HttpStatus.CONFLICT), code: 'DATABASE.CONFLICT', detail: 'a row with this key already exists' };
  }
  if (
    error instanceof ForeignKeyConstraintViolationException ||
    error instanceof CheckConstraintViolationException ||
    error instanceof NotNullConstraintViolationException
  ) {
    return { ...problem(HttpStatus.UNPROCESSABLE_ENTITY), code: 'DATABASE.CONSTRAINT_VIOLATION', detail: 'the request breaks a data rule' };
  }
  // SQLSTATE class 22, data exception: a value the edge let through that PostgreSQL cannot store (out of
  // range, not representable). The edge should catch these; this keeps any it misses a client error.
  if (/^22/.test(String((error as { code?: unknown })?.code ?? ''))) {
    return { ...problem(HttpStatus.BAD_REQUEST), code: 'REQUEST.INVALID', detail: 'a value is out of range or cannot be stored' };
  }
  if (isDatabaseUnavailable(error)) {
    return { ...problem(HttpStatus.SERVICE_UNAVAILABLE), code: 'DATABASE.UNAVAILABLE', detail: 'the database is unavailable; retry later' };
  }
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return { ...problem(error.getStatus()), detail: Array.isArray(message) ? message.join('; ') : (message as string | undefined) };
  }
  // Fastify's own errors (malformed JSON, body too large, unsupported media type) carry a 4xx statusCode.
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { ...problem(status), detail: (error as Error).message };
  }
  return problem(HttpStatus.INTERNAL_SERVER_ERROR);
}
