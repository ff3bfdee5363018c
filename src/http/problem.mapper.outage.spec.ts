import { describe, expect, it } from '@jest/globals';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { DatabaseDeadlineError } from '../database/request-deadline.js';
import { toProblem } from './problem.mapper.js';

// What a typed statement throws (runCompiled): the driver's error as MikroORM's PostgreSQL converter hands it on. Most outage errors
// are not typed by it (no ConnectionException for class 08), so the mapper has to know them by code or text.
const converted = (error: Error) => new PostgreSqlPlatform().getExceptionConverter().convertException(error);
const pgError = (code: string, message = `pg ${code}`) => Object.assign(new Error(message), { code });

describe('toProblem during a database outage', () => {
  it.each([
    ['connection failure (class 08)', pgError('08006')],
    ['protocol violation (class 08)', pgError('08P01')],
    ['server shutting down', pgError('57P01', 'terminating connection due to administrator command')],
    ['server starting up', pgError('57P03', 'the database system is starting up')],
    ['statement_timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['lock_timeout', pgError('55P03', 'canceling statement due to lock timeout')],
    ['a deadlock victim', pgError('40P01', 'deadlock detected')],
    ['a serialization failure', pgError('40001', 'could not serialize access due to concurrent update')],
    ['too many connections', pgError('53300')],
    ['out of memory', pgError('53200')],
    ['host unreachable', pgError('EHOSTUNREACH')],
    ['DNS failure', pgError('EAI_AGAIN')],
    ['no file descriptor left for a new connection (EMFILE)', Object.assign(new Error('connect EMFILE 127.0.0.1:5432 - Local (undefined:undefined)'), { code: 'EMFILE' })],
    ['the system file table full (ENFILE)', pgError('ENFILE')],
    ['pool exhaustion: no free connection within DB_CONNECT_TIMEOUT_MS', new Error('timeout exceeded when trying to connect')],
    ['a statement on a connection that died mid-transaction', new Error('Client has encountered a connection error and is not queryable')],
    ['the client-side query_timeout backstop', new Error('Query read timeout')],
    ['the connection closed under a query', new Error('Connection terminated unexpectedly')],
    ["the request's database deadline, wrapped by an ORM call", new DatabaseDeadlineError(6_000)],
  ])('%s: 503 DATABASE.UNAVAILABLE, not 500', (_, error) => {
    expect(toProblem(converted(error))).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
  });

  it('keeps other SQLSTATEs out: a syntax error is still a 500', () => {
    expect(toProblem(converted(pgError('42601'))).status).toBe(500);
    expect(toProblem(converted(pgError('XX000'))).status).toBe(500);
  });
});
