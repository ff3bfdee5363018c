import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { bootApp, type TestApp } from '../../support/app.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('health probes', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await bootApp(db.url);
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('GET /health/live answers 200 without touching the database', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers 200 with the database up and no migration pending', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.migrations).toEqual({ status: 'up', applied: COMMITTED_MIGRATIONS.length, pending: 0 });
  });

  it('an unknown route answers 404 as application/problem+json', async () => {
    const res = await request(t.app.getHttpServer()).get('/no-such-route').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/no-such-route' });
  });
});

describe('readiness with a migration pending', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    t = await bootApp(db.url, { MIGRATIONS_ON_BOOT: 'off' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('answers 503 problem+json saying the migrations are pending, by name, while the database itself is up', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Pending is not failed: nothing went wrong, the service was started with MIGRATIONS_ON_BOOT=off.
    const detail = `not ready: ${COMMITTED_MIGRATIONS.length} migration(s) pending: ${COMMITTED_MIGRATIONS.join(', ')}`;
    expect(res.body).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY', detail });
    expect(res.body.checks.database.status).toBe('up');
    expect(res.body.checks.migrations).toEqual({
      status: 'down',
      applied: 0,
      pending: COMMITTED_MIGRATIONS.length,
      names: COMMITTED_MIGRATIONS,
    });
  });
});
