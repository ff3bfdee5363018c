import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import request, { type Response, type Test } from 'supertest';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { bootApp, type TestApp } from '../../support/app.js';
import { startFreezableProxy, type FreezableProxy } from '../../support/freezable-proxy.js';
import { metric } from '../../support/quality-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const CONNECT_TIMEOUT_MS = 500;
const STATEMENT_TIMEOUT_MS = 1_000;
/** The documented deadline of a request's whole database work: DB_STATEMENT_TIMEOUT_MS + 5 s. */
const DEADLINE_MS = STATEMENT_TIMEOUT_MS + 5_000;
/** What an answer may take beyond it: the HTTP round trip and the error path. A bound, not a benchmark. */
const MARGIN_MS = 1_500;
const POOL_MAX = 2;

// The service reaches PostgreSQL through a TCP proxy of the test's own that can stop forwarding, both ways,
// without closing anything: the database stops answering mid-request, as a paused VM or a partition would
// make it. Before the deadline was shared, each step of a request waited its own full timeout: a key's
// first use (its last_used_at update) and then the write, or a statement inside a transaction and then
// its rollback, each waited DB_STATEMENT_TIMEOUT_MS + 5 s, twice the documented bound.
describe('a frozen database: every request answers 503 within DB_STATEMENT_TIMEOUT_MS + 5 s in all', () => {
  let db: TestDatabase;
  let proxy: FreezableProxy;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    t = await bootApp(proxy.url(db.url), {
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_POOL_MAX: String(POOL_MAX),
      RATE_LIMIT_MAX: '0',
    });
  });

  afterEach(() => proxy.thaw());

  afterAll(async () => {
    proxy?.thaw();
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  /** A key of its own: its first request also records last_used_at, a statement before the route's own. */
  async function freshKey(): Promise<string> {
    return (await t.app.get(ApiKeysService).create(`deadline ${randomUUID()}`, ['ingest', 'read'])).key;
  }

  const as = (key: string) => ({
    get: (path: string) => request(t.app.getHttpServer()).get(path).set('authorization', `Bearer ${key}`),
    post: (path: string) => request(t.app.getHttpServer()).post(path).set('authorization', `Bearer ${key}`),
  });

  /** Sends the request; it must be the outage problem, in time. */
  async function expectOutage(send: () => Test): Promise<number> {
    const started = performance.now();
    const res: Response = await send();
    const took = performance.now() - started;
    expect({ status: res.status, type: res.headers['content-type'], retryAfter: res.headers['retry-after'], code: res.body.code }).toEqual({
      status: 503,
      type: expect.stringMatching(/^application\/problem\+json/),
      retryAfter: expect.stringMatching(/^\d+$/),
      code: 'DATABASE.UNAVAILABLE',
    });
    expect(took).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    return took;
  }

  /** Rows where `column` is `value`, read directly (not through the proxy). */
  async function rows(table: 'pipeline_executions' | 'data_quality_metrics', column: string, value: string): Promise<number> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} = $1`, [value])).rows[0].n;
    } finally {
      await client.end();
    }
  }
  const executionRows = (id: string) => rows('pipeline_executions', 'execution_id', id);
  const metricRows = (pipeline: string) => rows('data_quality_metrics', 'pipeline_name', pipeline);

  it('auth lookup + write: frozen after the key lookup, the write answers 503 in time; its retry writes it once', async () => {
    const client = as(await freshKey());
    const body = { execution_id: randomUUID(), pipeline_name: 'deadline_write' };
    proxy.freezeOn('update "api_keys"');
    await expectOutage(() => client.post('/v1/executions').send(body));
    proxy.thaw();

    expect(await executionRows(body.execution_id)).toBe(0);
    expect([200, 201]).toContain((await client.post('/v1/executions').send(body)).status);
    expect(await executionRows(body.execution_id)).toBe(1);
  });

  it.each([
    ['its key claim', 'insert into "idempotency_keys"'],
    ['its insert', 'insert into "data_quality_metrics"'],
    ['its commit', 'commit'],
  ])('idempotent write frozen at %s, inside its transaction: 503 in time, nothing half-written, the retry stores it once', async (_, statement) => {
    const client = as(await freshKey());
    await client.get('/v1/executions').expect(200); // the key's last_used_at is recorded: only the transaction freezes
    const pipeline = `deadline_${randomUUID().slice(0, 8)}`;
    const send = () => client.post('/v1/metrics').set('idempotency-key', `deadline-${pipeline}`).send(metric({ pipeline_name: pipeline }));
    proxy.freezeOn(statement);
    await expectOutage(send);
    proxy.thaw();

    const retried = await send();
    expect(retried.status).toBe(201);
    expect(await metricRows(pipeline)).toBe(1);
  });

  it('a read: frozen after the key lookup, 503 in time, and served again once the database answers', async () => {
    const client = as(await freshKey());
    proxy.freezeOn('update "api_keys"');
    await expectOutage(() => client.get('/v1/executions'));
    proxy.thaw();
    await client.get('/v1/executions').expect(200);
  });

  it('frozen all at once, with more requests than pooled connections: each answers 503 in time, and the pool recovers', async () => {
    const client = as(await freshKey());
    await client.get('/v1/executions').expect(200);
    proxy.freeze();
    const routes = [
      () => client.post('/v1/executions').send({ pipeline_name: 'deadline_all' }),
      () => client.post('/v1/metrics').set('idempotency-key', `all-${randomUUID()}`).send(metric({ pipeline_name: 'deadline_all' })),
      () => client.get('/v1/executions'),
    ];
    await Promise.all([...routes, ...routes].map(expectOutage));
    proxy.thaw();
    // No connection was leaked to the frozen requests: the whole pool serves at once.
    const statuses = await Promise.all(Array.from({ length: POOL_MAX + 1 }, () => client.get('/v1/executions')));
    expect(statuses.map((r) => r.status)).toEqual(Array(POOL_MAX + 1).fill(200));
  });
});
