import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { bootApp, type TestApp } from '../../support/app.js';
import { startDisposablePostgres, type DisposablePostgres } from '../../support/disposable-postgres.js';
import { openOrm } from '../../support/orm.js';

async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe('readiness across a database outage', () => {
  let pg: DisposablePostgres;
  let t: TestApp;

  beforeAll(async () => {
    pg = await startDisposablePostgres();
    await pg.createDatabase('test_outage');
    const { orm, migrations } = await openOrm(pg.url('test_outage'));
    await migrations.up();
    await orm.close(true);
    t = await bootApp(pg.url('test_outage'), { DB_CONNECT_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it('is 200 while PostgreSQL is up', async () => {
    await request(t.app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('turns 503 with details while PostgreSQL is stopped, and liveness stays 200', async () => {
    await pg.stop();
    const started = Date.now();
    const res = await request(t.app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY', detail: expect.stringMatching(/database/) });
    expect(res.body.checks.database.status).toBe('down');
    // Only the kind of failure: the probe is unauthenticated.
    expect(res.body.checks.database.reason).toMatch(/^[A-Z0-9_]+$/);
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|password/);
    // Bounded by the probe's timeout, never a hang.
    expect(Date.now() - started).toBeLessThan(10_000);
    await request(t.app.getHttpServer()).get('/health/live').expect(200);
  });

  it('is 200 again once PostgreSQL is back, without restarting the service', async () => {
    await pg.start();
    const recovered = await pollUntil(
      async () => (await request(t.app.getHttpServer()).get('/health/ready')).status === 200,
      20_000,
    );
    expect(recovered).toBe(true);
  });
});
