import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { ShutdownService } from '../../../src/health/shutdown.service.js';
import { useApp } from '../../support/app.js';
import { logText } from '../../support/logs.js';
import { send, startService, type Answer, type ServiceProcess } from '../../support/service-process.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

/** How long past SHUTDOWN_GRACE_MS the process may take to exit (its margin, plus slack for a busy machine). */
const MARGIN_MS = 5_000 + 2_000;

type Outcome = Answer | { error: string };
/** The answer, or the socket error's code (ECONNREFUSED: no listener; ECONNRESET: the connection was closed). */
const settle = (answer: Promise<Answer>): Promise<Outcome> => answer.then((a) => a, (e: Error & { code?: string }) => ({ error: e.code ?? e.message }));
const outcome = (o: Outcome) => ('error' in o ? o.error : o.status);

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pending runs, created through the API, so that a `start` transition on each answers 201. */
async function createRuns(service: ServiceProcess, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    const created = await send(service.port, 'POST', '/v1/executions', service.auth(), { execution_id: id, pipeline_name: 'shutdown_e2e', status: 'pending' });
    expect(created.status).toBe(201);
  }
  return ids;
}

/** Holds the rows' locks in an open transaction: a transition of those runs waits until it ends. */
async function lockRuns(url: string, ids: string[]): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('select 1 from pipeline_executions where execution_id = any($1::uuid[]) for update', [ids]);
  return client;
}

/** Statements of the service waiting for a lock: requests that are in flight, inside PostgreSQL. */
async function waitingForLocks(url: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(
    url,
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'pipeline-ledger' and wait_event_type = 'Lock'`,
  );
  return n;
}

describe('graceful shutdown of the running service', () => {
  let db: TestDatabase;
  let service: ServiceProcess | undefined;
  // One for both services: the admin key written by the first start is the one the database knows.
  const DATA_DIR = mkdtempSync(join(tmpdir(), 'pipeline-ledger-shutdown-'));

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    service?.signal('SIGKILL');
    await db?.drop();
  });

  const startRun = (id: string) => settle(send(service!.port, 'POST', `/v1/executions/${id}/events`, service!.auth(), { type: 'start' }));

  it('on SIGTERM: not ready at once, refuses new connections, lets requests in flight finish (201), then exits 0', async () => {
    service = await startService({ DATA_DIR, DATABASE_URL: db.url, SHUTDOWN_GRACE_MS: '30000' });
    const ids = await createRuns(service, 3);
    const locks = await lockRuns(db.url, ids);
    const inFlight = ids.map(startRun);
    let exitedEarly = false;
    void service.exited.then(() => (exitedEarly = true));
    try {
      expect(await until(() => waitingForLocks(db.url), (n) => n === 3)).toBe(3);
      service.signal('SIGTERM');
      await until(async () => service!.output(), (out) => out.includes('SIGTERM: shutting down'));
      expect([503, 'ECONNREFUSED']).toContain(outcome(await settle(send(service.port, 'GET', '/health/ready'))));
      const fresh = await until(() => settle(send(service!.port, 'GET', '/health/live')), (o) => 'error' in o);
      expect(outcome(fresh)).toBe('ECONNREFUSED');
      expect(exitedEarly).toBe(false);
    } finally {
      await locks.query('commit');
      await locks.end();
    }
    expect((await Promise.all(inFlight)).map(outcome)).toEqual([201, 201, 201]);
    expect((await service.exited).code).toBe(0);
    const rows = await sql<{ status: string }>(db.url, `select status from pipeline_executions where pipeline_name = 'shutdown_e2e'`);
    expect(rows.map((r) => r.status)).toEqual(['running', 'running', 'running']);
    expect(logText(service.output())).toMatch(/stopped$/m);
  });

  it('a request still in flight after SHUTDOWN_GRACE_MS loses its connection and the process exits within grace + margin', async () => {
    const graceMs = 1_500;
    service = await startService({ DATA_DIR, DATABASE_URL: db.url, SHUTDOWN_GRACE_MS: String(graceMs) });
    const [id] = await createRuns(service, 1);
    const locks = await lockRuns(db.url, [id]);
    try {
      const stuck = startRun(id).then((o) => ({ outcome: outcome(o), at: Date.now() }));
      expect(await until(() => waitingForLocks(db.url), (n) => n === 1)).toBe(1);
      const signalled = Date.now();
      service.signal('SIGTERM');
      const exit = await service.exited;
      expect(exit.at - signalled).toBeGreaterThanOrEqual(graceMs);
      expect(exit.at - signalled).toBeLessThan(graceMs + MARGIN_MS);
      // Cut off when the grace period ends, not only when the process goes.
      const cut = await stuck;
      expect(cut.outcome).toMatch(/^(ECONNRESET|socket hang up)$/);
      expect(cut.at - signalled).toBeGreaterThanOrEqual(graceMs);
      expect(cut.at - signalled).toBeLessThan(graceMs + 2_000);
      // Its statement still waits in PostgreSQL, so the pool cannot close: the backstop ends the process,
      // with 1 for a stop that was not clean.
      expect(exit.code).toBe(1);
      const said = logText(service.output());
      expect(said).toContain(`requests still in flight after SHUTDOWN_GRACE_MS (${graceMs} ms): closing their connections`);
      expect(said).toContain(`shutdown did not finish within ${graceMs + 5_000} ms`);
    } finally {
      await locks.query('rollback');
      await locks.end();
    }
  });
});

describe('readiness once shutdown has begun (in process)', () => {
  const f = useApp();

  it('answers 503 HEALTH.NOT_READY naming the shutdown, without asking the database, while liveness stays 200', async () => {
    const server = f.t.app.getHttpServer();
    await request(server).get('/health/ready').expect(200);
    f.t.app.get(ShutdownService).begin();
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'HEALTH.NOT_READY',
      detail: 'not ready: shutting down',
      checks: { shutdown: { status: 'down', reason: 'SHUTTING_DOWN' } },
    });
    await request(server).get('/health/live').expect(200);
  });
});
