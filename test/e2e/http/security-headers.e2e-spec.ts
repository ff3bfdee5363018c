import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useApp } from '../../support/app.js';

const CORS_HEADERS = /^access-control-/;
const list = (header: string | undefined) => (header ?? '').split(/,\s*/);

describe('security headers, CORS off (the default)', () => {
  const f = useApp();

  it('every answer carries helmet headers: JSON answers a CSP that allows nothing, and no X-Powered-By', async () => {
    for (const path of ['/health/live', '/no-such-route']) {
      const res = await request(f.t.app.getHttpServer()).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('sends no CORS header, not to a cross-origin GET nor to a preflight', async () => {
    const get = await request(f.t.app.getHttpServer()).get('/health/live').set('Origin', 'https://a.example').expect(200);
    const preflight = await request(f.t.app.getHttpServer())
      .options('/v1/executions')
      .set('Origin', 'https://a.example')
      .set('Access-Control-Request-Method', 'POST');
    for (const res of [get, preflight]) expect(Object.keys(res.headers).filter((h) => CORS_HEADERS.test(h))).toEqual([]);
    expect(preflight.status).toBe(404);
  });

  it('/docs still serves Swagger UI: its page and assets load under a CSP that allows this origin only', async () => {
    const server = f.t.app.getHttpServer();
    const page = await request(server).get('/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    // Every script is a file of ours (none inline, which script-src 'self' would block), and each loads.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src="\.\/([^"]+)"/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      await request(server).get(`/docs/${src}`).expect(200);
    }
    await request(server).get('/docs/json').expect(200);
  });
});

describe('CORS with CORS_ORIGINS=https://a.example', () => {
  const f = useApp({ CORS_ORIGINS: 'https://a.example' });

  it('answers the allowed origin with Access-Control-Allow-Origin and the exposed headers', async () => {
    const res = await request(f.t.app.getHttpServer()).get('/health/live').set('Origin', 'https://a.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(list(res.headers['access-control-expose-headers'])).toEqual(['X-Request-Id', 'Retry-After', 'Location']);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('answers a preflight from the allowed origin with the methods and headers it may use', async () => {
    const res = await request(f.t.app.getHttpServer())
      .options('/v1/executions')
      .set('Origin', 'https://a.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(list(res.headers['access-control-allow-methods'])).toEqual(['GET', 'POST']);
    expect(list(res.headers['access-control-allow-headers'])).toEqual(['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id']);
  });

  it('gives another origin no CORS header at all, on a GET or a preflight (as when CORS is off)', async () => {
    const get = await request(f.t.app.getHttpServer()).get('/health/live').set('Origin', 'https://evil.example').expect(200);
    const preflight = await request(f.t.app.getHttpServer())
      .options('/v1/executions')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    for (const res of [get, preflight]) expect(Object.keys(res.headers).filter((h) => CORS_HEADERS.test(h))).toEqual([]);
    expect(preflight.status).toBe(404);
    // Caches must not hand the allowed origin's answer to this one.
    expect(get.headers.vary).toMatch(/Origin/);
  });
});
