import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { ProblemFilter } from './problem.filter.js';
import { PendingMigrationsError, MigrationFailedError } from '../database/migration.errors.js';

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function respond(error: unknown): Sent {
  const sent: Sent = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ method: 'GET', url: '/v1/thing' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return sent;
}

class UnmappedError extends DomainError {
  readonly code = 'TEST.UNMAPPED';
}

describe('ProblemFilter', () => {
  // 5xx errors are logged by design; the log is not what these tests look at.
  beforeAll(() => Logger.overrideLogger(false));

  it('maps a domain error through the code table, keeping its message and code', () => {
    const sent = respond(new PendingMigrationsError(['20261121_000000_x']));
    expect(sent.status).toBe(503);
    expect(sent.headers['content-type']).toBe('application/problem+json');
    expect(sent.body).toMatchObject({ status: 503, code: 'DATABASE.MIGRATIONS_PENDING', instance: '/v1/thing' });
  });

  it('hides the message of a 5xx domain error that does not choose to expose it', () => {
    const sent = respond(new MigrationFailedError('20261121_000000_x', 'up', new Error('syntax error at "selec"')));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('selec');
  });

  it('turns an HTTP exception into a problem with its status and message', () => {
    const sent = respond(new NotFoundException('no such execution'));
    expect(sent.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such execution', instance: '/v1/thing' });
  });

  it('keeps 4xx errors raised by Fastify itself (bad JSON, too large)', () => {
    const fastifyError = Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 });
    expect(respond(fastifyError).body).toMatchObject({ status: 400, detail: 'Body is not valid JSON' });
  });

  it('answers 500 with no internals for unknown errors and unmapped codes', () => {
    const unknown = respond(new Error('connection string postgres://u:pw@h/db leaked?'));
    expect(unknown.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/v1/thing' });
    expect(respond(new UnmappedError('x')).status).toBe(500);
  });
});
