import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { get, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { keyOf, useApp } from '../../support/app.js';
import { sql } from '../../support/test-database.js';

// Small limits so that the suite is quick; the bounds asserted are generous (timeout × 3) against a loaded machine.
const REQUEST_TIMEOUT_MS = 4_000;
const HEADERS_TIMEOUT_MS = 1_000;
const MAX_CONNECTIONS = 6;
const TRICKLE_MS = 200;

interface Ending {
  /** Milliseconds from the socket's first byte to its close, or undefined if still open at the bound. */
  closedAfterMs: number | undefined;
  received: string;
}

/** Waits up to `boundMs` for the server to close `socket`, collecting what it answered. */
function endingOf(socket: Socket, boundMs: number, since: number): Promise<Ending> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const bound = setTimeout(() => resolve({ closedAfterMs: undefined, received }), boundMs);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve({ closedAfterMs: Date.now() - since, received });
    });
  });
}

/** A client that sends `head` and then one byte of `drip` every TRICKLE_MS, never finishing. */
function trickler(port: number, head: string, drip: string): { socket: Socket; started: number; stop: () => void } {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  socket.write(head);
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(drip);
  }, TRICKLE_MS);
  return { socket, started, stop: () => clearInterval(timer) };
}

/** A normal request on a connection of its own (closed after the answer): its status. */
function liveStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/health/live', agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

function opened(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('slow and excess clients (REQUEST_TIMEOUT_MS, REQUEST_HEADERS_TIMEOUT_MS, MAX_CONNECTIONS)', () => {
  const f = useApp({
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    REQUEST_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    MAX_CONNECTIONS: String(MAX_CONNECTIONS),
  });
  let port = 0;
  afterEach(() => {
    jest.restoreAllMocks();
  });

  beforeAll(async () => {
    await f.t.app.listen(0, '127.0.0.1');
    port = (f.t.app.getHttpServer().address() as AddressInfo).port;
  });

  it('a client trickling a POST body is answered 408 and closed within REQUEST_TIMEOUT_MS, while normal requests are served', async () => {
    // With a valid key: a keyless one is refused before its body is read (auth-before-body.e2e-spec.ts), so the
    // whole-request bound is what stops a client that holds a key. A byte every 200 ms keeps the socket busy.
    const head = `POST /v1/executions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keyOf(f.t.app)}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`;
    const slow = [1, 2, 3].map(() => trickler(port, head, ' '));
    const endings = Promise.all(slow.map((s) => endingOf(s.socket, REQUEST_TIMEOUT_MS * 3, s.started)));
    const served: number[] = [];
    for (let i = 0; i < 5; i++) {
      served.push(await liveStatus(port));
      await sleep(300);
    }
    const results = await endings;
    slow.forEach((s) => s.stop());
    expect(served).toEqual([200, 200, 200, 200, 200]);
    for (const r of results) {
      expect(r.closedAfterMs).toBeDefined();
      // Not before the timeout (the trickle is never idle), and with an answer saying why.
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
    }
  }, 15_000);

  it('a client trickling its headers is answered 408 and closed within REQUEST_HEADERS_TIMEOUT_MS, before REQUEST_TIMEOUT_MS', async () => {
    const slow = trickler(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a');
    const ending = await endingOf(slow.socket, REQUEST_TIMEOUT_MS * 3, slow.started);
    slow.stop();
    expect(ending.closedAfterMs).toBeDefined();
    expect(ending.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    // Node checks the timeouts every second: headers at 1 s end by ~2 s, well before the request's 4 s.
    expect(ending.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(ending.received).toMatch(/^HTTP\/1\.1 408 /);
  }, 15_000);

  it('a client that never reads its answer has its connection destroyed once nothing moves for REQUEST_TIMEOUT_MS', async () => {
    // 500 executions of ~6 KB: a list of them is ~3 MB; asked for ten times over on one connection, far more
    // than the loopback's socket buffers hold, so the server's writes stall once they are full.
    await sql(f.db.url, `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, input_file, error_details)
      select gen_random_uuid(), 'slow_reader', 'failed', now() - make_interval(secs => i), now(), repeat('f', 2000), repeat('e', 4000) from generate_series(1, 500) i`);
    const server = f.t.app.getHttpServer() as Server;
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const reader = await opened(port);
    reader.pause();
    const ask = `GET /v1/executions?pipeline_name=slow_reader&limit=500 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keyOf(f.t.app)}\r\n\r\n`;
    reader.write(ask.repeat(10));
    const serverSide = await accepted;
    const started = Date.now();
    const released = await new Promise<number | undefined>((resolve) => {
      const bound = setTimeout(() => resolve(undefined), REQUEST_TIMEOUT_MS * 3);
      serverSide.on('close', () => {
        clearTimeout(bound);
        resolve(Date.now() - started);
      });
    });
    reader.destroy();
    expect(released).toBeDefined();
    // Not before the bound: the writes stall only once the buffers are full (a few seconds of answers on a
    // loaded machine), and then REQUEST_TIMEOUT_MS must pass. Before the bound existed, it was never released.
    expect(released).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(await liveStatus(port)).toBe(200);
  }, 20_000);

  it('the bound is on a stalled answer only: a request the server takes longer than it to answer, and an idle keep-alive connection, are kept', async () => {
    const keys = f.t.app.get(ApiKeysService);
    const authenticate = keys.authenticate.bind(keys);
    jest.spyOn(keys, 'authenticate').mockImplementationOnce(async (token) => {
      await sleep(REQUEST_TIMEOUT_MS + 1_500);
      return authenticate(token);
    });
    const socket = await opened(port);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    const ask = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keyOf(f.t.app)}\r\n\r\n`;
    const answered = async (n: number) => {
      while ((received.match(/HTTP\/1\.1 /g) ?? []).length < n && !socket.destroyed) await sleep(100);
    };
    // The first one waits REQUEST_TIMEOUT_MS + 1.5 s in authentication, with nothing moving on the socket.
    socket.write(ask('/v1/executions?limit=1'));
    await answered(1);
    // Idle between two requests for longer than the bound: keep-alive (KEEP_ALIVE_TIMEOUT_MS) decides, not it.
    await sleep(REQUEST_TIMEOUT_MS + 1_000);
    socket.write(ask('/v1/executions?limit=1'));
    await answered(2);
    socket.destroy();
    expect(received.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
  }, 30_000);

  it('past MAX_CONNECTIONS, new connections are closed at once while the open ones keep being served', async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => opened(port)));
    // The server accepts them on its next turn of the event loop, which runs in this process.
    await sleep(200);
    const extra = await Promise.all([1, 2].map(() => opened(port)));
    const extraEndings = await Promise.all(extra.map((s) => endingOf(s, HEADERS_TIMEOUT_MS / 2, Date.now())));
    for (const e of extraEndings) {
      expect(e.closedAfterMs).toBeDefined();
      expect(e.received).toBe('');
    }
    const answers = await Promise.all(
      held.map(async (socket) => {
        const ending = endingOf(socket, REQUEST_TIMEOUT_MS, Date.now());
        socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        return (await ending).received;
      }),
    );
    for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 200 /);
  }, 15_000);
});
