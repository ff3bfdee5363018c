import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createRootLogger, requestScope } from './logging.js';
import { NestLogger } from './nest-logger.js';

function capture(level: Parameters<typeof createRootLogger>[0] = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { nest: new NestLogger(createRootLogger(level, stream)), lines };
}

describe('NestLogger', () => {
  it("takes Nest's last string argument as the context and maps verbose to trace", () => {
    const { nest, lines } = capture('verbose');
    nest.log('Starting Nest application...', 'NestFactory');
    nest.verbose('fine detail', 'Deep');
    nest.warn('no context');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestFactory', msg: 'Starting Nest application...' }),
      expect.objectContaining({ level: 'trace', context: 'Deep', msg: 'fine detail' }),
      expect.objectContaining({ level: 'warn', msg: 'no context' }),
    ]);
    expect(lines[2]).not.toHaveProperty('context');
  });

  it("logs the stack Nest's exception handlers pass to error() as err, and an Error as err", () => {
    const { nest, lines } = capture();
    const failure = new Error('boom');
    nest.error('Unhandled', failure.stack, 'ExceptionsHandler');
    nest.error(failure, 'Errors');
    expect(lines[0]).toMatchObject({ level: 'error', context: 'ExceptionsHandler', msg: 'Unhandled', err: { message: 'Unhandled', stack: failure.stack } });
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Errors', msg: 'boom', err: { type: 'Error', message: 'boom' } });
  });

  it("merges an object's fields, drops what is below the level, and scrubs passwords", () => {
    const { nest, lines } = capture('info');
    nest.debug('dropped', 'X');
    nest.log({ applied: 3 }, 'Database');
    nest.error('cannot reach postgres://u:hunter2@db/x', 'Database');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Database', applied: 3 }),
      expect.objectContaining({ level: 'error', msg: 'cannot reach postgres://u:[REDACTED]@db/x' }),
    ]);
  });

  it('puts the request_id of the request being served on every line', () => {
    const { nest, lines } = capture();
    requestScope.run({ requestId: 'req-42' }, () => nest.warn('inside', 'Errors'));
    nest.warn('outside', 'Errors');
    expect(lines[0]).toMatchObject({ request_id: 'req-42', msg: 'inside' });
    expect(lines[1]).not.toHaveProperty('request_id');
  });
});
