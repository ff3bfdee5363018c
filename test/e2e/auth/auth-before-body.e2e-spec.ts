import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { useApp } from '../../support/app.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const fakeKey = `pl_00000000_${'A'.repeat(43)}`;

/**
 * Sends the head of a POST announcing `contentLength` bytes and only the first 100 of them, then waits
 * (at most 3 s) for the answer and for the server to close the connection. The rest is never sent: a server
 * that reads the body first never answers.
 */
function partialPost(port: number, path: string, contentLength: number, headers: Record<string, string> = {}) {
  return new Promise<{ head: string; body: string; closed: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const [head, body = ''] = received.split('\r\n\r\n');
      resolve({ head: head ?? '', body, closed });
    };
    const timer = setTimeout(done, 3000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => {
      closed = true;
      done();
    });
    socket.on('error', done);
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n${extra}\r\n` +
        `{"pipeline_name": "${'x'.repeat(80)}`,
    );
  });
}

describe('authentication before the body (issue 16, point 2)', () => {
  const f = useApp();
  const server = () => f.t.app.getHttpServer() as Server;
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server().listen(0, '127.0.0.1', resolve));
    port = (server().address() as AddressInfo).port;
  });

  it('no key and a malformed body: 401, not 400, and no field details', async () => {
    const res = await request(server()).post('/v1/executions').send({ pipeline_name: 42, started_at: 'never', bogus: true }).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.MISSING_KEY' });
    expect(res.body).not.toHaveProperty('errors');
    const notJson = await request(server()).post('/v1/metrics/batch').set('content-type', 'application/json').send('{not json').expect(401);
    expect(notJson.body.code).toBe('AUTH.MISSING_KEY');
  });

  it('a bad key and a malformed body: 401 AUTH.INVALID_KEY, not 400', async () => {
    const res = await request(server()).post('/v1/executions').set(bearer(fakeKey)).send({ pipeline_name: 42 }).expect(401);
    expect(res.body.code).toBe('AUTH.INVALID_KEY');
    expect(res.body).not.toHaveProperty('errors');
  });

  it('no key: 401 before the announced body has been sent, and the connection is closed', async () => {
    const res = await partialPost(port, '/v1/executions', 1_000_000);
    expect(res.head).toMatch(/^HTTP\/1\.1 401 /);
    expect(res.head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'AUTH.MISSING_KEY' });
    expect(res.closed).toBe(true);
  });

  it('a bad key: likewise, on the large-batch route too', async () => {
    const res = await partialPost(port, '/v1/metrics/batch', 5_000_000, bearer(fakeKey));
    expect(res.head).toMatch(/^HTTP\/1\.1 401 /);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'AUTH.INVALID_KEY' });
    expect(res.closed).toBe(true);
  });

  it('a valid key still gets its body validated (400) and served; a key without the scope still gets 403', async () => {
    const invalid = await request(server()).post('/v1/executions').set(bearer(f.t.key)).send({ pipeline_name: 42 }).expect(400);
    expect(invalid.body.code).toBe('REQUEST.INVALID');
    await request(server()).post('/v1/executions').set(bearer(f.t.key)).send({ pipeline_name: 'auth_first' }).expect(201);
    const reader = (await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send({ name: 'reader', scopes: ['read'] }).expect(201)).body as { key: string };
    const denied = await request(server()).post('/v1/executions').set(bearer(reader.key)).send({ pipeline_name: 'read_only' }).expect(403);
    expect(denied.body).toMatchObject({ code: 'AUTH.INSUFFICIENT_SCOPE', required_scope: 'ingest' });
    await request(server()).get('/v1/executions').set(bearer(reader.key)).expect(200);
    await request(server()).head('/v1/executions').set(bearer(reader.key)).expect(200);
  });

  it('a valid key without the scope and a malformed body: 403, not 400, before the body has been sent', async () => {
    const reader = (await request(server()).post('/v1/api-keys').set(bearer(f.t.key)).send({ name: 'read-only', scopes: ['read'] }).expect(201)).body as { key: string };
    const garbage = await request(server()).post('/v1/executions').set(bearer(reader.key)).send({ pipeline_name: 42, bogus: true }).expect(403);
    expect(garbage.body).toMatchObject({ code: 'AUTH.INSUFFICIENT_SCOPE', required_scope: 'ingest' });
    expect(garbage.body).not.toHaveProperty('errors');
    const notJson = await request(server()).post('/v1/metrics/batch').set(bearer(reader.key)).set('content-type', 'application/json').send('{not json').expect(403);
    expect(notJson.body.code).toBe('AUTH.INSUFFICIENT_SCOPE');
    const unread = await partialPost(port, '/v1/metrics/batch', 5_000_000, bearer(reader.key));
    expect(unread.head).toMatch(/^HTTP\/1\.1 403 /);
    expect(unread.head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(unread.body)).toMatchObject({ code: 'AUTH.INSUFFICIENT_SCOPE', required_scope: 'ingest' });
    expect(unread.closed).toBe(true);
    // An admin route, read-only key: the scope a route declares (admin when it declares none) is what is checked.
    await request(server()).post('/v1/api-keys').set(bearer(reader.key)).send({ name: 7 }).expect(403);
  });

  it('public routes stay public and unknown routes still answer 404', async () => {
    await request(server()).get('/health/live').expect(200);
    await request(server()).get('/openapi.json').expect(200);
    await request(server()).post('/v1/no-such-route').send({}).expect(404);
  });
});

describe('failed authentications are rate-limited per address (issue 16, point 7)', () => {
  const f = useApp({ AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '60000' });
  const server = () => f.t.app.getHttpServer();

  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('after AUTH_FAILURE_LIMIT failures: 429 with Retry-After and no more key lookups, even for a valid key', async () => {
    await request(server()).get('/v1/executions').set(bearer(f.t.key)).expect(200);
    const lookups = jest.spyOn(f.t.app.get(ApiKeysService), 'authenticate');
    await request(server()).get('/v1/executions').set(bearer(fakeKey)).expect(401);
    await request(server()).get('/v1/executions').expect(401);
    await request(server()).post('/v1/executions').set(bearer(fakeKey)).send({}).expect(401);
    expect(lookups).toHaveBeenCalledTimes(2);
    for (const headers of [bearer(fakeKey), {}, bearer(f.t.key)]) {
      const res = await request(server()).get('/v1/executions').set(headers).expect(429);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('AUTH.TOO_MANY_FAILURES');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    expect(lookups).toHaveBeenCalledTimes(2);
    await request(server()).get('/health/live').expect(200);
  });
});
