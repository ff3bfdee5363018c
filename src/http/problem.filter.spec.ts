import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { DriverException, InvalidFieldNameException, SyntaxErrorException, TableNotFoundException } from '@mikro-orm/core';
import { ProblemFilter } from './problem.filter.js';

const SQL = 'select "e0".* from "pipeline_executions" as "e0" where "e0"."secret_column" = $1';

/** A pg error as the driver raises it, and what MikroORM makes of it: the SQL is in the message. */
function driverError(code: string, message: string): Error {
  return Object.assign(new Error(`${SQL} - ${message}`), { code, routine: 'errorMissingColumn', query: SQL });
}

/** Runs the real filter against a reply that records what would be sent. */
function answer(error: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status: (status: number) => ((sent.status = status), reply),
    header: (name: string, value: string) => ((sent.headers[name.toLowerCase()] = value), reply),
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const request = { id: 'req-123', method: 'GET', url: '/v1/executions' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return sent;
}

describe('ProblemFilter', () => {
  // The filter logs each 500 with its stack: expected here, and noise in the test output.
  beforeAll(() => Logger.overrideLogger(false));

  const failures: [string, unknown][] = [
    ['an unknown error', new TypeError("Cannot read properties of undefined (reading 'password')")],
    ['a driver error', new DriverException(driverError('XX000', 'internal error'))],
    ['a missing table', new TableNotFoundException(driverError('42P01', 'relation "pipeline_executions" does not exist'))],
    ['a missing column', new InvalidFieldNameException(driverError('42703', 'column "secret_column" does not exist'))],
    ['a syntax error', new SyntaxErrorException(driverError('42601', 'syntax error at or near "form"'))],
  ];

  it.each(failures)('answers %s with a bare 500: no message, stack or SQL, only the request id', (_what, error) => {
    const sent = answer(error);
    expect(sent.status).toBe(500);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/v1/executions',
      request_id: 'req-123',
    });
  });

  it('puts the request id in every problem, 4xx included', () => {
    expect(answer(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 })).body).toMatchObject({ status: 415, request_id: 'req-123' });
  });
});
