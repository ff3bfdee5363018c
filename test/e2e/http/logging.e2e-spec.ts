import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { logLines } from '../../support/logs.js';
import { send, startService, type Answer, type ServiceProcess } from '../../support/service-process.js';
import { createTestDatabase, sql, withAdmin, type TestDatabase } from '../../support/test-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
// Credentials a client sends that must never reach a log line, whatever the response.
const TOKEN = `plk_${hex(24)}`;
const X_API_KEY = `xak_${hex(16)}`;
const SESSION = `s_${hex(16)}`;
const CREDENTIALS = { authorization: `Bearer ${TOKEN}`, 'x-api-key': X_API_KEY, cookie: `session=${SESSION}` };

/** A login role with a password of our own, so that DATABASE_URL carries a password we can look for. */
async function roleWithPassword(databaseUrl: string) {
  const role = `pl_log_${hex(4)}`;
  const password = `pw_${hex(16)}`;
  await withAdmin((c) => c.query(`create role ${role} login superuser password '${password}'`));
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = password;
  return { url: url.toString(), password, drop: () => withAdmin((c) => c.query(`drop role if exists ${role}`)) };
}

describe('logs of the running service (LOG_LEVEL=debug, DATABASE_URL with a password)', () => {
  let db: TestDatabase;
  let role: Awaited<ReturnType<typeof roleWithPassword>>;
  let service: ServiceProcess;
  let adminKey: string | undefined;
  let exitCode: number | null;
  let lines: Record<string, unknown>[];
  const answers: Record<string, Answer> = {};
  const linesOf = (id: string) => lines.filter((line) => line.request_id === id);

  beforeAll(async () => {
    db = await createTestDatabase();
    role = await roleWithPassword(db.url);
    service = await startService({ DATABASE_URL: role.url, LOG_LEVEL: 'debug' });
    adminKey = service.auth().authorization;
    const get = (path: string, headers: Record<string, string>) => send(service.port, 'GET', path, headers);
    answers.live = await get('/health/live', { 'x-request-id': 'log-e2e.live_1', ...CREDENTIALS });
    answers.unknown = await get('/no-such-route', { 'x-request-id': 'log-e2e-404', ...CREDENTIALS });
    answers.generated = await get('/health/live', {});
    answers.refused = await get('/health/live', { 'x-request-id': 'has spaces, so not ours' });
    answers.colon = await get('/health/live', { 'x-request-id': 'trace:log-e2e' });
    answers.v1 = await get('/v1/executions', { 'x-request-id': 'log-e2e-v1', ...CREDENTIALS });
    answers.invalid = await send(service.port, 'POST', '/v1/executions', { 'x-request-id': 'log-e2e-400', ...service.auth() }, { pipeline_name: '' });
    // A driver error whose message quotes SQL: the table disappears under the running service.
    await sql(db.url, 'alter table pipeline_executions rename to pipeline_executions_moved');
    answers.broken = await get('/v1/executions', { 'x-request-id': 'log-e2e-500', ...service.auth() });
    // The same failure behind a body of about 150 kB, which reaches the service in several reads: the
    // error line, written once the body has been parsed, must still carry the request's id.
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ pipeline_name: 'log_etl', metric_type: 'row_count', metric_value: i, execution_id: randomUUID() }));
    answers.brokenBig = await send(service.port, 'POST', '/v1/metrics/batch', { 'x-request-id': 'log-e2e-500-big', ...service.auth() }, { metrics });
    service.signal('SIGTERM');
    exitCode = (await service.exited).code;
    lines = logLines(service.output());
  }, 90_000);

  afterAll(async () => {
    service?.signal('SIGKILL');
    await db?.drop();
    await role?.drop();
  });

  it('writes only JSON lines, from start-up (Nest included) to exit 0 after SIGTERM', () => {
    const said = (context: string, msg: RegExp) => lines.some((l) => l.context === context && msg.test(String(l.msg)));
    expect(said('NestApplication', /successfully started/)).toBe(true);
    expect(said('Main', /^listening on /)).toBe(true);
    expect(said('Main', /^SIGTERM: shutting down/)).toBe(true);
    expect(said('Main', /^stopped$/)).toBe(true);
    expect(exitCode).toBe(0);
  });

  it('echoes an acceptable X-Request-Id and puts it on the request log line and in the problem', () => {
    expect(answers.live.headers['x-request-id']).toBe('log-e2e.live_1');
    expect(linesOf('log-e2e.live_1')).toEqual([expect.objectContaining({ level: 'debug', msg: 'request completed', res: { statusCode: 200 } })]);
    expect(answers.unknown.status).toBe(404);
    expect(answers.unknown.headers['x-request-id']).toBe('log-e2e-404');
    expect(JSON.parse(answers.unknown.text)).toMatchObject({ status: 404, request_id: 'log-e2e-404' });
    expect(linesOf('log-e2e-404')).toEqual([
      expect.objectContaining({ level: 'info', req: expect.objectContaining({ id: 'log-e2e-404', url: '/no-such-route' }), res: { statusCode: 404 } }),
    ]);
  });

  it('generates a UUID when no X-Request-Id, or one outside 1 to 128 of [A-Za-z0-9._-] (a colon included), is sent', () => {
    for (const answer of [answers.generated, answers.refused, answers.colon]) {
      const id = String(answer.headers['x-request-id']);
      expect(id).toMatch(UUID);
      expect(linesOf(id)).toHaveLength(1);
    }
    expect(answers.generated.headers['x-request-id']).not.toBe(answers.refused.headers['x-request-id']);
  });

  it('ties /v1 answers to their id, whether or not API keys are required (401 or the normal status)', () => {
    expect([200, 401]).toContain(answers.v1.status);
    expect(answers.v1.headers['x-request-id']).toBe('log-e2e-v1');
    expect(answers.invalid.status).toBe(400);
    expect(JSON.parse(answers.invalid.text)).toMatchObject({ status: 400, code: 'REQUEST.INVALID', request_id: 'log-e2e-400' });
    expect(linesOf('log-e2e-400')).toEqual([expect.objectContaining({ msg: 'request completed', res: { statusCode: 400 } })]);
  });

  it('answers a driver error 500 with no SQL, message or stack; the log has them under the request id', () => {
    expect(answers.broken.status).toBe(500);
    const body = JSON.parse(answers.broken.text);
    expect(body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/v1/executions', request_id: 'log-e2e-500' });
    const [failure, completed] = linesOf('log-e2e-500');
    expect(failure).toMatchObject({ level: 'error', context: 'Errors', msg: expect.stringMatching(/pipeline_executions" does not exist[\s\S]*\n\s+at /) });
    expect(completed).toMatchObject({ level: 'error', msg: 'request errored', res: { statusCode: 500 } });
  });

  it('puts the request id on the error line of a request with a large body, too', () => {
    expect(answers.brokenBig.status).toBe(500);
    const [failure, completed] = linesOf('log-e2e-500-big');
    expect(failure).toMatchObject({ level: 'error', context: 'Errors', msg: expect.stringMatching(/pipeline_executions" does not exist/) });
    expect(completed).toMatchObject({ level: 'error', msg: 'request errored', res: { statusCode: 500 } });
  });

  it('never logs the database password, a bearer token, an X-Api-Key, a cookie or the admin key', () => {
    const output = service.output();
    for (const secret of [role.password, TOKEN, X_API_KEY, SESSION]) expect(output).not.toContain(secret);
    if (adminKey) expect(output).not.toContain(adminKey.replace('Bearer ', ''));
    const { headers } = linesOf('log-e2e.live_1')[0].req as { headers: Record<string, string> };
    expect(headers).toMatchObject({ authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]' });
  });
});

describe('logs of a boot that applies migrations (MIGRATIONS_ON_BOOT=up, LOG_LEVEL=info)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('logs each migration as it is applied, as JSON lines, in the order things happened', async () => {
    const service = await startService({ DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'up', LOG_LEVEL: 'info' });
    service.signal('SIGTERM');
    expect((await service.exited).code).toBe(0);
    const lines = logLines(service.output());
    const migrator = lines.findIndex((l) => l.context === 'Migrator' && /^applied \d{8}_\d{6}_\w+ in \d+ ms$/.test(String(l.msg)));
    expect(migrator).toBeGreaterThan(0);
    // In the order things happened: Nest's lines are not held back until its start-up is over.
    const nestStarting = lines.findIndex((l) => l.context === 'NestFactory');
    const applied = lines.findIndex((l) => l.context === 'Database' && /^applied migrations: /.test(String(l.msg)));
    expect(nestStarting).toBeLessThan(migrator);
    expect(applied).toBeGreaterThan(migrator);
  });
});
