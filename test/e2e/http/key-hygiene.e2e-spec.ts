import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../../src/http/app.factory.js';
import { routeAccess } from '../../../src/http/route-access.js';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { API_KEY_SCOPES } from '../../../src/auth/api-key.entity.js';
import { loadConfig } from '../../../src/config/app.config.js';
import { createRootLogger } from '../../../src/logging/logging.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends raw bytes and reads the answer until the server closes the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
  });
}

function parseRaw(raw: string): Answer {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') };
}

describe('API keys stay out of logs, URLs and answers; parser errors are problems; OpenAPI declares security', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let dir: string;
  let port: number;
  let key: string;
  let secret: string;
  const logged: string[] = [];
  const answers: Record<string, Answer> = {};

  const call = async (path: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'pl-key-hygiene-'));
    const config = loadConfig({ DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'check', LOG_LEVEL: 'debug', DB_BOOT_RETRY_MS: '0', DATA_DIR: dir });
    const log = createRootLogger('debug', { write: (line: string) => void logged.push(line) });
    app = await createApp(config, log);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
    key = (await app.get(ApiKeysService).create('key hygiene', ['admin', 'ingest', 'read'])).key;
    secret = key.slice('pl_12345678_'.length);
    const bearer = { authorization: `Bearer ${key}` };
    answers.queryNamed = await call(`/v1/executions?api_key=${key}`, bearer);
    answers.queryValue = await call(`/v1/executions?limit=5&q=${key}`, bearer);
    answers.queryEncoded = await call(`/v1/executions?access_token=${encodeURIComponent(key).replace(/_/g, '%5F')}`);
    answers.apiKeyHeader = await call('/v1/executions', { 'api-key': key, 'x-request-id': 'hygiene-api-key' });
    answers.requestIdKey = await call('/v1/executions', { ...bearer, 'x-request-id': key });
    answers.inPath = await call(`/v1/executions/${key}?x=1`, bearer);
    answers.unknownRoute = await call(`/no-such-route/${key}`, { 'x-api-key': key });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a key in the query string, by name or by shape, with 400 pointing to Authorization: Bearer', () => {
    for (const answer of [answers.queryNamed, answers.queryValue, answers.queryEncoded]) {
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 400, code: 'REQUEST.KEY_IN_QUERY', instance: '/v1/executions', detail: expect.stringContaining('Authorization: Bearer') });
    }
  });

  it('answers a key-shaped X-Request-Id with a new id, and never echoes a query string in a problem', () => {
    expect(answers.requestIdKey.status).toBe(200);
    expect(answers.requestIdKey.headers['x-request-id']).not.toContain(secret);
    expect(answers.apiKeyHeader.status).toBe(401);
    expect(answers.apiKeyHeader.headers['x-request-id']).toBe('hygiene-api-key');
    expect(JSON.parse(answers.inPath.text).instance).toMatch(/^\/v1\/executions\/pl_[0-9a-f]{8}_\[REDACTED\]$/);
  });

  it('puts the key in no answer and in no log line, while logging each request with the key redacted', () => {
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, leaks: `${answer.text} ${JSON.stringify(answer.headers)}`.includes(secret) }).toEqual({ name, leaks: false });
    }
    const log = logged.join('');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.replace(/_/g, '%5F'));
    // The requests were logged: the API-Key header's key is there, redacted to its public prefix.
    const apiKeyLine = logged.map((line) => JSON.parse(line) as { request_id?: string; req?: { headers: Record<string, string> } }).find((line) => line.request_id === 'hygiene-api-key' && line.req);
    expect(apiKeyLine?.req?.headers['api-key']).toBe('[REDACTED]');
    expect(log).toContain(`${key.slice(0, 12)}[REDACTED]`);
  });

  describe("HTTP parser errors answer problem+json with a request id", () => {
    const cases: [string, string, number][] = [
      ['bad header bytes', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n', 400],
      ['conflicting Content-Length', 'POST /v1/executions HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400],
      ['headers too large', `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ];
    it.each(cases)('%s', async (_name, bytes, status) => {
      const answer = parseRaw(await rawExchange(port, bytes));
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const body = JSON.parse(answer.text) as { status: number; request_id: string };
      expect(body).toMatchObject({ status, type: 'about:blank' });
      expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.headers['x-request-id']).toBe(body.request_id);
      expect(logged.some((line) => line.includes(body.request_id))).toBe(true);
    });
  });

  describe('/openapi.json', () => {
    let doc: { components: { securitySchemes: Record<string, object> }; paths: Record<string, Record<string, { security?: Record<string, string[]>[]; parameters?: { in: string; name: string; required?: boolean }[] }>> };
    beforeAll(async () => {
      doc = JSON.parse((await call('/openapi.json')).text) as typeof doc;
    });

    it('declares the bearer scheme', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    });

    it("gives each operation the scope its route declares, and the probes none", () => {
      const access = routeAccess(app);
      expect(access.size).toBeGreaterThan(10);
      for (const [route, declared] of access) {
        const [method, path] = route.split(' ');
        const operation = doc.paths[path.replace(/:([a-z_]+)/g, '{$1}')]?.[method.toLowerCase()];
        expect({ route, operation: operation !== undefined }).toEqual({ route, operation: true });
        expect({ route, security: operation.security }).toEqual({ route, security: declared === 'public' ? undefined : [{ bearer: [declared] }] });
      }
      expect(doc.paths['/health/live'].get.security).toBeUndefined();
    });

    it('documents the scope that is enforced: every other scope is refused with 403 (GET routes without required query)', async () => {
      const checked: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        const get = operations.get;
        const scope = get?.security?.[0]?.bearer?.[0];
        if (!scope || get.parameters?.some((p) => p.in === 'query' && p.required)) continue;
        const others = API_KEY_SCOPES.filter((s) => s !== scope);
        const other = (await app.get(ApiKeysService).create(`not ${scope}`, [...others])).key;
        const res = await call(path.replace(/\{[a-z_]+\}/g, () => randomUUID()), { authorization: `Bearer ${other}` });
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        checked.push(path);
      }
      expect(checked.length).toBeGreaterThan(3);
    });
  });
});
