import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { CheckConstraintViolationException, ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ERROR_CODES } from '../common/error-codes.js';
import { toProblem } from './problem.mapper.js';
import { MigrationFailedError, PendingMigrationsError } from '../migrator/migration.errors.js';

function validationError(context: string, validation: object[]) {
  return Object.assign(new Error('validation'), { validation, validationContext: context, statusCode: 400 });
}

describe('toProblem', () => {
  it('maps a domain error through the code table, keeping its message and code', () => {
    expect(toProblem(new PendingMigrationsError(['20261121_000000_x']))).toMatchObject({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'DATABASE.MIGRATIONS_PENDING',
      detail: expect.stringContaining('20261121_000000_x'),
    });
  });

  it('hides the message of a 5xx domain error that does not choose to expose it', () => {
    const p = toProblem(new MigrationFailedError('20261121_000000_x', 'up', new Error('syntax error at "selec"')));
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toContain('selec');
  });

  it('gives every code in the table a client or server error status', () => {
    for (const { status } of Object.values(ERROR_CODES)) expect(status >= 400 && status < 600).toBe(true);
  });

  it('lists each schema violation with where it is and what is wrong', () => {
    const p = toProblem(
      validationError('body', [
        { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'colour' } },
        { instancePath: '', keyword: 'required', params: { missingProperty: 'pipeline_name' } },
        { instancePath: '/row_counts/read', keyword: 'minimum', params: {}, message: 'must be >= 0' },
      ]),
    );
    expect(p).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(p.errors).toEqual([
      { in: 'body', pointer: '/colour', detail: 'is not a known field' },
      { in: 'body', pointer: '/pipeline_name', detail: 'is required' },
      { in: 'body', pointer: '/row_counts/read', detail: 'must be >= 0' },
    ]);
    const q = toProblem(validationError('querystring', [{ instancePath: '/limit', keyword: 'maximum', params: {}, message: 'must be <= 500' }]));
    expect(q.errors).toEqual([{ in: 'query', pointer: '/limit', detail: 'must be <= 500' }]);
  });

  it('maps the ORM errors: unique → 409, check → 422, connection → 503', () => {
    const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
    expect(toProblem(new UniqueConstraintViolationException(pgError('23505'))).status).toBe(409);
    expect(toProblem(new CheckConstraintViolationException(pgError('23514'))).status).toBe(422);
    expect(toProblem(new ConnectionException(pgError('08006')))).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    expect(toProblem(new Error('timeout exceeded when trying to connect')).status).toBe(503);
    expect(toProblem(pgError('57014')).status).toBe(503);
  });

  it('turns an HTTP exception into a problem with its status and message', () => {
    expect(toProblem(new NotFoundException('no such execution'))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no such execution',
    });
  });

  it('keeps 4xx errors raised by Fastify itself (bad JSON, too large, wrong media type)', () => {
    const fastifyError = Object.assign(new Error('Unsupported Media Type: text/plain'), { statusCode: 415 });
    expect(toProblem(fastifyError)).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
  });

  it('answers 500 with no internals for unknown errors', () => {
    expect(toProblem(new Error('connection string postgres://u:pw@h/db leaked?'))).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
    });
  });
});
