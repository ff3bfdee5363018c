import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createRootLogger, scrubSecrets } from './logging.js';

/** A root logger at `level` whose lines are collected, parsed. */
function capture(level: Parameters<typeof createRootLogger>[0] = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: createRootLogger(level, stream), lines };
}

describe('scrubSecrets', () => {
  it('masks the password of a PostgreSQL URL and of a key/value connection string', () => {
    expect(scrubSecrets('connect postgres://ledger:s3cr%40t@db:5432/ledger failed')).toBe('connect postgres://ledger:[REDACTED]@db:5432/ledger failed');
    expect(scrubSecrets('postgresql://u:p@h/d and postgres://h/d')).toBe('postgresql://u:[REDACTED]@h/d and postgres://h/d');
    expect(scrubSecrets("host=db password='two words' user=x")).toBe('host=db password=[REDACTED] user=x');
  });

  it('leaves text without a password alone', () => {
    expect(scrubSecrets('password authentication failed for user "ledger"')).toBe('password authentication failed for user "ledger"');
  });
});

describe('createRootLogger', () => {
  it('writes JSON with level names and redacts credential headers of requests and responses', () => {
    const { log, lines } = capture();
    log.info({ req: { headers: { authorization: 'Bearer abc', 'x-api-key': 'k', cookie: 'c', accept: '*/*' } }, res: { headers: { 'set-cookie': 's' } } }, 'hi');
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'hi',
      req: { headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]', accept: '*/*' } },
      res: { headers: { 'set-cookie': '[REDACTED]' } },
    });
  });

  it('scrubs database passwords from messages and from logged errors', () => {
    const { log, lines } = capture();
    log.warn('cannot reach postgres://u:hunter2@db/x');
    log.error({ err: new Error('postgres://u:hunter2@db/x refused') }, 'failed');
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(lines[1]).toMatchObject({ err: { type: 'Error', message: 'postgres://u:[REDACTED]@db/x refused' } });
  });

  it('maps LOG_LEVEL verbose to trace and drops what is below the level', () => {
    const verbose = capture('verbose');
    verbose.log.trace('t');
    expect(verbose.lines).toEqual([expect.objectContaining({ level: 'trace', msg: 't' })]);
    const fatal = capture('fatal');
    fatal.log.error('e');
    fatal.log.fatal('f');
    expect(fatal.lines.map((l) => l.msg)).toEqual(['f']);
  });
});
