import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { rowCounts } from '../../support/fuzz-oracle.js';
import { metric } from '../../support/quality-fixtures.js';
import { runEvent } from '../../support/lineage-fixtures.js';

// Issue 16 points 9 and 10: what a body's bytes may be (UTF-8 JSON, maybe compressed), and clear refusals
// naming the place of anything else.

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const ENCODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

describe('request bodies', () => {
  const f = useApp();

  let base = '';
  beforeAll(async () => {
    await f.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(f.t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  /** POSTs the bytes as they are (supertest would serialize a Buffer as JSON). */
  const post = async (path: string, body: Buffer | string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.t.key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as Record<string, unknown> };
  };
  const created = async (path: string, body: Buffer | string, headers: Record<string, string> = {}) => {
    const res = await post(path, body, headers);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body;
  };

  /** Sends the request; expects `status` as problem+json, naming `pointer` if given, and nothing written. */
  const expectRefused = async (send: () => PromiseLike<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>, status: number, pointer?: string) => {
    const before = await rowCounts(f.db.url);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (pointer !== undefined) expect(res.body.errors).toContainEqual(expect.objectContaining({ in: 'body', pointer }));
    expect(await rowCounts(f.db.url)).toEqual(before);
    return res.body as { detail: string; code?: string };
  };

  describe('invalid UTF-8 (point 9)', () => {
    const latin1 = Buffer.concat([Buffer.from('{"pipeline_name":"orders_etl","input_file":"caf'), Buffer.from([0xe9]), Buffer.from('.csv"}')]);

    it('is refused with 400 saying so and where, not stored as U+FFFD', async () => {
      const problem = await expectRefused(() => post('/v1/executions', latin1), 400, '/');
      expect(problem.detail).toMatch(`is not valid UTF-8: the first invalid byte is at offset ${latin1.indexOf(0xe9)}`);
    });

    it('is refused inside a gzip body too, once decompressed', async () => {
      const problem = await expectRefused(() => post('/v1/executions', gzipSync(latin1), { 'content-encoding': 'gzip' }), 400, '/');
      expect(problem.detail).toMatch(/not valid UTF-8/);
    });

    it('while valid multi-byte text is stored as sent', async () => {
      const body = await created('/v1/executions', json({ pipeline_name: 'orders_etl', input_file: 'café 😀.csv' }));
      expect(body.input_file).toBe('café 😀.csv');
    });
  });

  describe('lone surrogates (point 10a)', () => {
    it.each([
      ['/input_file', '/v1/executions', '{"pipeline_name":"orders_etl","input_file":"a\\ud800b"}'],
      ['/error_details', '/v1/executions/{run}/events', '{"type":"fail","error_details":"\\uDFFF"}'],
      ['/row_counts', '/v1/executions', '{"pipeline_name":"orders_etl","row_counts":{"\\ud800":1}}'],
      ['/metrics/0/metadata/note', '/v1/metrics/batch', '{"metrics":[{"pipeline_name":"p","metric_type":"t","metric_value":1,"metadata":{"note":"\\ud83d"}}]}'],
    ])('are a 400 naming %s', async (pointer, path, body) => {
      const run = path.includes('{run}') ? (await created('/v1/executions', json({ pipeline_name: 'surrogates' }))).execution_id as string : '';
      const problem = await expectRefused(() => post(path.replace('{run}', run), body), 400, pointer);
      expect(problem.detail).toMatch(/lone UTF-16 surrogate/);
    });

    it('while an escaped surrogate pair is a character like any other', async () => {
      const body = await created('/v1/executions', '{"pipeline_name":"orders_etl","input_file":"\\ud83d\\ude00"}');
      expect(body.input_file).toBe('😀');
    });
  });

  describe('keys that could pollute prototypes (point 10c)', () => {
    it.each([
      ['/__proto__', '{"pipeline_name":"orders_etl","__proto__":{"admin":true}}'],
      ['/row_counts/__proto__', '{"pipeline_name":"orders_etl","row_counts":{"__proto__":{}}}'],
      ['/row_counts/constructor/prototype', '{"pipeline_name":"orders_etl","row_counts":{"constructor":{"prototype":{"admin":true}}}}'],
    ])('are a 400 naming %s, not "Body is not valid JSON"', async (pointer, body) => {
      const problem = await expectRefused(() => post('/v1/executions', body), 400, pointer);
      expect(problem.detail).toMatch(/is not an allowed key/);
    });

    it('while malformed JSON is still just that', async () => {
      const problem = await expectRefused(() => post('/v1/executions', '{"__proto__":'), 400);
      expect(problem.detail).toMatch(/not valid JSON/);
    });
  });

  describe('Content-Encoding (point 10d)', () => {
    it.each(Object.keys(ENCODERS))('a %s body is decompressed and recorded', async (coding) => {
      const body = await created('/v1/executions', ENCODERS[coding](json({ pipeline_name: `compressed_${coding}` })), { 'content-encoding': coding });
      expect(body.pipeline_name).toBe(`compressed_${coding}`);
    });

    it('x-gzip and upper case are gzip too; identity is no encoding', async () => {
      await created('/v1/executions', gzipSync(json({ pipeline_name: 'x_gzip' })), { 'content-encoding': 'x-gzip' });
      await created('/v1/executions', gzipSync(json({ pipeline_name: 'upper_gzip' })), { 'content-encoding': 'GZIP' });
      await created('/v1/executions', json({ pipeline_name: 'identity' }), { 'content-encoding': 'identity' });
    });

    it('a batch route takes a decompressed body up to its own larger limit', async () => {
      const metrics = Array.from({ length: 5000 }, (_, i) => metric({ pipeline_name: 'gzip_batch', metadata: { note: 'x'.repeat(200), i } }));
      const raw = json({ metrics });
      expect(raw.length).toBeGreaterThan(f.t.config.bodyLimitBytes);
      expect(await created('/v1/metrics/batch', gzipSync(raw), { 'content-encoding': 'gzip' })).toMatchObject({ count: 5000 });
    });

    it("an OpenLineage client's compression: gzip is understood", async () => {
      const event = runEvent({ runId: randomUUID(), time: new Date().toISOString(), job: { namespace: 'airflow', name: 'gzip_dag.load' } });
      expect(await created('/api/v1/lineage', gzipSync(json(event)), { 'content-encoding': 'gzip' })).toMatchObject({ event_id: expect.any(String) });
    });

    it('a body that decompresses past the limit is a 413, cut off as soon as it passes it (a zip bomb)', async () => {
      // 15 gzip members of 64 MiB each: under 1 MiB sent, 960 MiB once inflated (about a second of CPU).
      const filler = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61), { level: 9 });
      const bomb = Buffer.concat([gzipSync('{"pipeline_name":"bomb","input_file":"'), ...Array.from({ length: 15 }, () => filler)]);
      expect(bomb.length).toBeLessThan(f.t.config.bodyLimitBytes);
      const [started, cpu] = [Date.now(), process.cpuUsage()];
      const problem = await expectRefused(() => post('/v1/executions', bomb, { 'content-encoding': 'gzip' }), 413);
      expect(problem).toMatchObject({ code: 'REQUEST.BODY_TOO_LARGE', detail: `the body is larger than ${f.t.config.bodyLimitBytes} bytes once decompressed` });
      expect(Date.now() - started).toBeLessThan(2000);
      // Inflating all 960 MiB takes about a second of CPU, even after the answer: none of it happens (zlib's
      // threads count too, as the app runs in this process).
      await sleep(1000);
      expect(process.cpuUsage(cpu).user / 1000).toBeLessThan(300);
    });

    it('a request without a valid key is a 401 before its encoding or body is looked at', async () => {
      const res = await post('/v1/executions', Buffer.from('not even gzip'), { authorization: 'Bearer nope', 'content-encoding': 'compress' });
      expect(res.status).toBe(401);
    });

    it('a corrupt gzip body is a 400 saying so', async () => {
      const problem = await expectRefused(() => post('/v1/executions', json({ pipeline_name: 'not_gzip' }), { 'content-encoding': 'gzip' }), 400, '/');
      expect(problem.detail).toMatch(/not valid gzip data/);
    });

    it.each(['compress', 'zstd', 'gzip, gzip', 'constructor'])('Content-Encoding %s is a 415 naming it', async (coding) => {
      const problem = await expectRefused(() => post('/v1/executions', json({ pipeline_name: 'unknown_coding' }), { 'content-encoding': coding }), 415);
      expect(problem).toMatchObject({ code: 'REQUEST.UNSUPPORTED_CONTENT_ENCODING', detail: expect.stringContaining(JSON.stringify(coding)) });
    });
  });

  describe('charset (point 10e)', () => {
    it.each(['latin1', 'ISO-8859-1', 'utf-16'])('charset=%s is a 415 naming it', async (charset) => {
      const problem = await expectRefused(() => post('/v1/executions', json({ pipeline_name: 'latin' }), { 'content-type': `application/json; charset=${charset}` }), 415);
      expect(problem).toMatchObject({ code: 'REQUEST.UNSUPPORTED_CHARSET', detail: expect.stringContaining(`"${charset}"`) });
    });

    it.each(['utf-8', 'UTF-8', '"utf-8"'])('charset=%s is accepted', async (charset) => {
      await created('/v1/executions', json({ pipeline_name: 'utf8' }), { 'content-type': `application/json; charset=${charset}` });
    });
  });
});
