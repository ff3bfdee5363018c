import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'supertest';
import { useApp } from '../../support/app.js';
import { auditRowCounts, http, recordRun } from '../../support/audit-fixtures.js';
import { metric, qualityRowCounts } from '../../support/quality-fixtures.js';

const STATEMENT_TIMEOUT_MS = 500;
/** A blocked request must give up after the statement timeout, plus the round trip: never hang. */
const WITHIN_MS = 2_000;

// Locks taken from a connection of the test's own block the app's statements the way a long transaction
// of another client would; only statement_timeout can end the wait.
describe('DB_STATEMENT_TIMEOUT_MS bounds every statement a request issues', () => {
  const f = useApp({ DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DB_CONNECT_TIMEOUT_MS: '1000' });
  let locker: pg.Client | undefined;

  /** Opens a transaction that holds `statement`'s locks until release(). */
  async function hold(statement: string, params: unknown[] = []): Promise<void> {
    locker = new pg.Client({ connectionString: f.db.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query(statement, params);
  }

  async function release(): Promise<void> {
    await locker?.query('rollback');
    await locker?.end();
    locker = undefined;
  }

  afterEach(release);

  /** Sends the request and checks it was refused by the timeout: 503 problem+json with Retry-After, in time. */
  async function expectTimedOut(send: () => PromiseLike<Response>, method: string, path: string): Promise<void> {
    const started = performance.now();
    const res = await send();
    const took = performance.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    f.contract.check(method, path, res);
    // It waited on the lock (so the timeout, not something else, ended it), and no longer than it should.
    expect(took).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS * 0.9);
    expect(took).toBeLessThan(WITHIN_MS);
  }

  it('a transition blocked on its row answers 503 after the timeout, writes nothing, and applies on retry', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'timeout_etl' });
    await hold('select * from pipeline_executions where execution_id = $1 for update', [run.execution_id]);
    const before = await auditRowCounts(f.db.url);

    const path = `/v1/executions/${run.execution_id}/events`;
    await expectTimedOut(() => http(f.t.app).post(path).send({ type: 'succeed' }), 'POST', '/v1/executions/{execution_id}/events');

    await release();
    expect(await auditRowCounts(f.db.url)).toEqual(before);
    expect((await http(f.t.app).get(`/v1/executions/${run.execution_id}`).expect(200)).body.status).toBe('running');
    const retried = await http(f.t.app).post(path).send({ type: 'succeed' }).expect(201);
    expect(retried.body.status).toBe('succeeded');
  });

  it('a metric write inside its idempotency transaction, blocked by a table lock: 503, nothing stored, the key still usable', async () => {
    const before = await qualityRowCounts(f.db.url); // before the lock, which would block this count too
    await hold('lock table data_quality_metrics in access exclusive mode');
    const body = metric({ pipeline_name: 'timeout_metrics' });
    const send = () => http(f.t.app).post('/v1/metrics').set('idempotency-key', 'timeout-key-1').send(body);

    await expectTimedOut(send, 'POST', '/v1/metrics');
    // Reads wait on that lock too, and are bounded the same way.
    await expectTimedOut(() => http(f.t.app).get('/v1/metrics?pipeline_name=timeout_metrics'), 'GET', '/v1/metrics');

    await release();
    // The claim of the key rolled back with the insert: the retry writes, it is no replay of a failure.
    expect(await qualityRowCounts(f.db.url)).toEqual(before);
    const retried = await send().expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await qualityRowCounts(f.db.url)).toEqual({ metrics: before.metrics + 1, keys: before.keys + 1 });
  });

  it('authentication is bounded too: a request whose API key lookup is blocked answers 503, not 401 or a hang', async () => {
    await hold('lock table api_keys in access exclusive mode');
    await expectTimedOut(() => http(f.t.app).get('/v1/executions'), 'GET', '/v1/executions');
    await release();
    await http(f.t.app).get('/v1/executions').expect(200);
  });
});
