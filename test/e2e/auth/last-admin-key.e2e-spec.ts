import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useApp } from '../../support/app.js';
import { runTs } from '../../support/spawn.js';
import { sql } from '../../support/test-database.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the last active admin key cannot be revoked', () => {
  const f = useApp();
  const server = () => f.t.app.getHttpServer();
  const activeAdmins = async () => (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from api_keys where revoked_at is null and 'admin' = any(scopes)`))[0].n;

  it('HTTP: 409 saying how to rotate; two parallel revokes of the last two admin keys do not both succeed; the CLI refuses too', async () => {
    const a = (await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send({ name: 'admin-a', scopes: ['admin'] }).expect(201)).body as { id: string; key: string };
    await sql(f.db.url, `update api_keys set revoked_at = now() where id <> '${a.id}' and 'admin' = any(scopes)`);
    expect(await activeAdmins()).toBe(1);

    const refused = await request(server()).post(`/v1/api-keys/${a.id}/revoke`).set(bearer(a.key)).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 409, code: 'AUTH.LAST_ADMIN_KEY' });
    expect(refused.body.detail).toContain('create a new admin key first');
    expect(await activeAdmins()).toBe(1);

    // A non-admin key can still be revoked while only one admin key is left.
    const reader = (await request(server()).post('/v1/api-keys').set(bearer(a.key)).send({ name: 'reader', scopes: ['read'] }).expect(201)).body as { id: string };
    await request(server()).post(`/v1/api-keys/${reader.id}/revoke`).set(bearer(a.key)).expect(200);

    const b = (await request(server()).post('/v1/api-keys').set(bearer(a.key)).send({ name: 'admin-b', scopes: ['admin', 'read'] }).expect(201)).body as { id: string; key: string };
    const statuses = await Promise.all([
      request(server()).post(`/v1/api-keys/${a.id}/revoke`).set(bearer(a.key)),
      request(server()).post(`/v1/api-keys/${b.id}/revoke`).set(bearer(b.key)),
    ]);
    expect(statuses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await activeAdmins()).toBe(1);

    const [{ id: last }] = await sql<{ id: string }>(f.db.url, `select id from api_keys where revoked_at is null and 'admin' = any(scopes)`);
    const cli = await runTs('src/cli.ts', ['api-keys', 'revoke', last], { DATABASE_URL: f.db.url }, 30_000);
    expect(cli.code).not.toBe(0);
    expect(cli.output).toContain('create a new admin key first');
    expect(await activeAdmins()).toBe(1);
  });
});
