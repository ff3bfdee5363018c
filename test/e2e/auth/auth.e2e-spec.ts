import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { bootApp, useApp, type TestApp } from '../../support/app.js';
import { auditRowCounts } from '../../support/audit-fixtures.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys: authentication and scopes on every /v1 route', () => {
  const f = useApp();
  const server = () => f.t.app.getHttpServer();
  const newKey = async (scopes: string[], name = 'scoped') =>
    (await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send({ name, scopes }).expect(201)).body as { id: string; key: string };

  it('no key: 401 problem+json with WWW-Authenticate, and nothing written', async () => {
    const before = await auditRowCounts(f.db.url);
    const res = await request(server()).post('/v1/executions').send({ pipeline_name: 'no_key' }).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="pipeline-ledger"/);
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.MISSING_KEY' });
    await request(server()).get('/v1/executions').expect(401);
    await request(server()).get('/v1/metrics/latest?pipeline_name=x').expect(401);
    expect(await auditRowCounts(f.db.url)).toEqual(before);
  });

  it('a malformed, unknown or non-Bearer key: 401 AUTH.INVALID_KEY or MISSING_KEY, the same answer for each', async () => {
    const unknown = `pl_00000000_${'A'.repeat(43)}`;
    for (const header of [`Bearer ${unknown}`, 'Bearer not-a-key', `bearer   ${unknown.slice(0, -1)}x`]) {
      const res = await request(server()).get('/v1/executions').set('authorization', header).expect(401);
      expect(res.body.code).toBe('AUTH.INVALID_KEY');
      expect(res.body.detail).toBe('the API key is not valid (unknown, malformed or revoked)');
    }
    const basic = await request(server()).get('/v1/executions').set('authorization', `Basic ${Buffer.from('a:b').toString('base64')}`).expect(401);
    expect(basic.body.code).toBe('AUTH.MISSING_KEY');
  });

  it('health and the API description stay open', async () => {
    await request(server()).get('/health/live').expect(200);
    await request(server()).get('/health/ready').expect(200);
    await request(server()).get('/openapi.json').expect(200);
  });

  it('a read key reads but cannot ingest (403, required_scope) and writes nothing; an ingest key the reverse', async () => {
    const reader = await newKey(['read']);
    const writer = await newKey(['ingest']);
    await request(server()).get('/v1/executions').set(bearer(reader.key)).expect(200);
    const before = await auditRowCounts(f.db.url);
    const denied = await request(server()).post('/v1/executions').set(bearer(reader.key)).send({ pipeline_name: 'read_only' }).expect(403);
    expect(denied.body).toMatchObject({ status: 403, code: 'AUTH.INSUFFICIENT_SCOPE', required_scope: 'ingest' });
    expect(await auditRowCounts(f.db.url)).toEqual(before);
    const created = await request(server()).post('/v1/executions').set(bearer(writer.key)).send({ pipeline_name: 'ingested' }).expect(201);
    await request(server()).post(`/v1/executions/${created.body.execution_id}/events`).set(bearer(writer.key)).send({ type: 'succeed' }).expect(201);
    await request(server()).post('/v1/metrics').set(bearer(writer.key)).send({ pipeline_name: 'ingested', metric_type: 'rows', metric_value: 1 }).expect(201);
    await request(server()).get(`/v1/executions/${created.body.execution_id}`).set(bearer(writer.key)).expect(403);
    await request(server()).get('/v1/api-keys').set(bearer(writer.key)).expect(403);
  });

  it('keys are stored as SHA-256 only, listed without key or hash, and the key is shown only at creation', async () => {
    const { id, key } = await newKey(['read'], 'stored-how');
    const [row] = await sql<{ hash: string; prefix: string; everything: string }>(f.db.url, `select hash, prefix, row_to_json(k)::text as everything from api_keys k where id = '${id}'`);
    expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(key.startsWith(`pl_${row.prefix}_`)).toBe(true);
    expect(row.everything).not.toContain(key.split('_').pop());
    const list = await request(server()).get('/v1/api-keys').set(bearer(f.t.key)).expect(200);
    const listed = list.body.data.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({ id, name: 'stored-how', scopes: ['read'], revoked_at: null });
    expect(JSON.stringify(list.body)).not.toContain(key.split('_').pop());
    expect(listed).not.toHaveProperty('hash');
  });

  it('revocation takes effect on the next request', async () => {
    const { id, key } = await newKey(['read'], 'to-revoke');
    await request(server()).get('/v1/executions').set(bearer(key)).expect(200);
    const revoked = await request(server()).post(`/v1/api-keys/${id}/revoke`).set(bearer(f.t.key)).expect(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const res = await request(server()).get('/v1/executions').set(bearer(key)).expect(401);
    expect(res.body.code).toBe('AUTH.INVALID_KEY');
    await request(server()).post(`/v1/api-keys/00000000-0000-7000-8000-000000000000/revoke`).set(bearer(f.t.key)).expect(404);
  });

  it('creating a key validates its input: unknown scopes, none, or a blank name are 400 and create nothing', async () => {
    const [{ n: before }] = await sql<{ n: number }>(f.db.url, 'select count(*)::int as n from api_keys');
    for (const body of [{ name: 'x', scopes: ['root'] }, { name: 'x', scopes: [] }, { name: '', scopes: ['read'] }, { name: 'x', scopes: ['read', 'read'] }]) {
      const res = await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send(body).expect(400);
      expect(res.body.code).toBe('REQUEST.INVALID');
    }
    expect(await sql(f.db.url, 'select count(*)::int as n from api_keys')).toEqual([{ n: before }]);
  });

  it.each(['   ', '\t\n'])('a blank key name (%j) is a 400 naming /name, not a 422 from the database', async (name) => {
    const [{ n: before }] = await sql<{ n: number }>(f.db.url, 'select count(*)::int as n from api_keys');
    const res = await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send({ name, scopes: ['read'] }).expect(400);
    expect(res.body).toMatchObject({ code: 'REQUEST.INVALID', errors: [expect.objectContaining({ in: 'body', pointer: '/name' })] });
    expect(await sql(f.db.url, 'select count(*)::int as n from api_keys')).toEqual([{ n: before }]);
  });
});

describe('rate limit per key', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await bootApp(db.url, { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('over the limit: 429 problem+json with Retry-After; another key is not affected', async () => {
    const other = (await t.app.get(ApiKeysService).create('other', ['read'])).key;
    for (let i = 0; i < 3; i++) await request(t.app.getHttpServer()).get('/v1/executions').set(bearer(t.key)).expect(200);
    const res = await request(t.app.getHttpServer()).get('/v1/executions').set(bearer(t.key)).expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('AUTH.RATE_LIMITED');
    // 3 per minute: one request's share is 20 s.
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(20);
    await request(t.app.getHttpServer()).get('/v1/executions').set(bearer(other)).expect(200);
  });
});

describe('the first start creates one admin key, in a file only its owner can read', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'pl-first-key-'));

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the key with mode 0600, never logs it, and the key has every scope; a second start creates none', async () => {
    const first = await bootApp(db.url, { DATA_DIR: dir });
    // bootApp made its own key after the first start created the admin one: two keys, one of them the first.
    const file = join(dir, 'admin-api-key');
    const key = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await request(first.app.getHttpServer()).get('/v1/api-keys').set(bearer(key)).expect(200);
    await request(first.app.getHttpServer()).post('/v1/executions').set(bearer(key)).send({ pipeline_name: 'first_key' }).expect(201);
    await first.close();
    const again = await bootApp(db.url, { DATA_DIR: dir });
    await again.close();
    expect(await sql(db.url, `select count(*)::int as n from api_keys where name like 'first admin key%'`)).toEqual([{ n: 1 }]);
  });

  it('the CLI creates, lists and revokes keys; the key is printed once and never listed', async () => {
    const cli = (...args: string[]) => runTs('src/cli.ts', ['api-keys', ...args], { DATABASE_URL: db.url }, 30_000);
    const created = await cli('create', '--name', 'from-cli', '--scopes', 'ingest,read', '--json');
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.output.trim().split('\n').pop() as string) as { id: string; key: string };
    const list = await cli('list');
    expect(list.output).toContain(id);
    expect(list.output).not.toContain(key);
    expect((await cli('revoke', id)).code).toBe(0);
    expect(await sql(db.url, `select revoked_at is not null as revoked from api_keys where id = '${id}'`)).toEqual([{ revoked: true }]);
    const bad = await cli('create', '--name', 'x', '--scopes', 'root');
    expect(bad.code).toBe(2);
  });
});
