import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { startDisposablePostgres, type DisposablePostgres } from '../../support/disposable-postgres.js';
import { openOrm } from '../../support/orm.js';
import { LOAD_PIPELINE, runLoad, sampleReadiness, type Attempt } from '../../support/outage-load.js';
import { expectAllStored, freeze, holdLock, waitForStatus } from '../../support/outage-server.js';
import { send, startService, type Answer, type ServiceProcess } from '../../support/service-process.js';

const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;
/** The request's database deadline, DB_STATEMENT_TIMEOUT_MS + 5 s (src/database/request-deadline.ts): a server that stops answering. */
const BACKSTOP_MS = STATEMENT_TIMEOUT_MS + 5_000;
const POOL_MAX = 6;
const SHUTDOWN_GRACE_MS = 2_000;
/** What an answer may take beyond its bound: the HTTP round trip and the error path. */
const MARGIN_MS = 500;
/**
 * The same for the frozen server's bounds, which a loaded two-core machine (CI, with other suites running)
 * has overshot by 150 ms: still far below a hang, and the readiness bound stays below the backstop.
 */
const FROZEN_MARGIN_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const took = (a: { startedAt: number; endedAt: number }) => a.endedAt - a.startedAt;

/** The refusal a client may see during an outage, and nothing else: 503 problem+json with Retry-After. */
function isOutageProblem(status: number, headers: { contentType?: string; retryAfter?: string }, body: unknown): boolean {
  return status === 503 && /^application\/problem\+json/.test(headers.contentType ?? '') && /^\d+$/.test(headers.retryAfter ?? '') && (body as { code?: string })?.code === 'DATABASE.UNAVAILABLE';
}

// The service runs as its own process (src/main.ts through tsx), not in jest's: "the process stays up" is
// then literal. main.ts exits on an uncaught exception or unhandled rejection, so a pg error nobody listens
// for during the outage would end it, which jest's own process would not show; and only a real SIGTERM
// shows whether the pool can still close. PostgreSQL is a server of this suite's own: the shared one serves
// the other suites and cannot be stopped under them. The tests run in order, on one service.
describe('PostgreSQL outages under write load', () => {
  let server: DisposablePostgres;
  let svc: ServiceProcess;
  let exitedAt: number | undefined;
  const url = () => server.url('outage');
  const write = (): Promise<Answer> => send(svc.port, 'POST', '/v1/executions', svc.auth(), { pipeline_name: LOAD_PIPELINE });

  beforeAll(async () => {
    server = await startDisposablePostgres();
    await server.createDatabase('outage');
    const { orm, migrations } = await openOrm(url());
    await migrations.up();
    await orm.close(true);
    svc = await startService({
      DATABASE_URL: url(),
      MIGRATIONS_ON_BOOT: 'check',
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_POOL_MAX: String(POOL_MAX),
      DB_BOOT_RETRY_MS: '0',
      SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
      RATE_LIMIT_MAX: '0', // the load is one key's; the limiter is not what this suite is about
      LOG_LEVEL: 'warn',
    });
    void svc.exited.then(({ at }) => (exitedAt = at));
  });

  afterAll(async () => {
    if (svc && exitedAt === undefined) svc.signal('SIGKILL');
    await svc?.exited;
    // The service's log, to read after a failure: OUTAGE_LOG=/tmp/outage.log npx jest … test/outage
    if (process.env.OUTAGE_LOG && svc) writeFileSync(process.env.OUTAGE_LOG, svc.output());
    await server?.destroy();
  });

  it('stopped and started twice: 503 + Retry-After within DB_CONNECT_TIMEOUT_MS, nothing acknowledged lost, recovery by itself', async () => {
    let loading = true;
    const load = runLoad(svc.port, svc.auth(), 4, () => loading);
    const readiness = sampleReadiness(svc.port, () => loading);
    const outages: { from: number; to: number }[] = [];
    for (let cycle = 0; cycle < 2; cycle++) {
      await sleep(1_500);
      await server.stop();
      const from = performance.now();
      await sleep(2_000);
      outages.push({ from, to: performance.now() });
      await server.start();
      await waitForStatus(svc.port, '/health/ready', 200, 15_000);
    }
    await sleep(1_500); // writes are acknowledged again after the recovery
    loading = false;
    const { attempts, acknowledged, unacknowledged } = await load;
    const samples = await readiness;
    expect(exitedAt).toBeUndefined();

    // Every answer was a 2xx or the outage problem; no socket errors, since the HTTP server never went away.
    const refused = attempts.filter((a) => a.status < 200 || a.status >= 300);
    expect(refused.filter((a) => !isOutageProblem(a.status, a, a.body)).map(({ status, socketError, body }) => ({ status, socketError, body }))).toEqual([]);
    const max503 = Math.max(0, ...refused.map(took));
    expect(max503).toBeLessThan(CONNECT_TIMEOUT_MS + MARGIN_MS);
    expect(Math.max(...attempts.map(took))).toBeLessThan(STATEMENT_TIMEOUT_MS + MARGIN_MS);

    // Both outages were felt, and nothing was acknowledged while the database was down.
    const within = ({ from, to }: { from: number; to: number }) => (a: { startedAt: number; endedAt: number }) => a.startedAt >= from && a.endedAt <= to;
    for (const outage of outages) {
      expect(refused.filter(within(outage)).length).toBeGreaterThan(0);
      expect(attempts.filter((a) => a.status < 300 && within(outage)(a))).toEqual([]);
      const probes = samples.filter(within(outage));
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.filter((s) => s.status !== 503)).toEqual([]);
    }
    expect(acknowledged.filter((a) => a.at > outages[1].to).length).toBeGreaterThan(0);
    expect(samples.at(-1)?.status).toBe(200);

    await expectAllStored(url(), LOAD_PIPELINE, acknowledged, new Map(attempts.map((a: Attempt) => [a.id, a.kind])));
    expect((await write()).status).toBe(201);

    const count = (p: (a: Attempt) => boolean) => attempts.filter(p).length;
    console.log(
      `outage load: ${attempts.length} requests, ${acknowledged.length} writes acknowledged (${count((a) => a.status === 200)} as 200 on retry, ` +
        `${count((a) => a.replayed === true)} replayed), ${unacknowledged} never acknowledged; ${refused.length} x 503, slowest ${Math.round(max503)} ms; ` +
        `slowest of all ${Math.round(Math.max(...attempts.map(took)))} ms; ${samples.length} readiness probes`,
    );
  });

  it('keeps all DB_POOL_MAX connections: none was leaked by the transactions the outages cut short', async () => {
    // Each write holds a pooled connection while it waits on the lock; a leaked connection would leave one
    // of them waiting for the pool instead, and answering 503 after DB_CONNECT_TIMEOUT_MS.
    const release = await holdLock(url(), 'lock table pipeline_executions in access exclusive mode');
    const answers = Promise.all(Array.from({ length: POOL_MAX }, write));
    await sleep(CONNECT_TIMEOUT_MS + MARGIN_MS);
    await release();
    expect((await answers).map((a) => a.status)).toEqual(Array(POOL_MAX).fill(201));
  });

  it('a server that stops answering (frozen, not down): 503 within the query backstop, never a 500 or a hang', async () => {
    await Promise.all(Array.from({ length: 3 }, write)); // open connections, to freeze under the pool
    const timed = async (request: () => Promise<Answer>) => {
      const started = performance.now();
      return { ...(await request()), ms: performance.now() - started };
    };
    const thaw = await freeze(url(), 'pipeline-ledger');
    // Open connections wait for the backstop; new ones, and the readiness probe, for DB_CONNECT_TIMEOUT_MS.
    const [answers, ready] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => timed(write))),
      timed(() => send(svc.port, 'GET', '/health/ready')),
    ]).finally(thaw);
    for (const a of answers) {
      expect(isOutageProblem(a.status, { contentType: a.headers['content-type'] as string, retryAfter: a.headers['retry-after'] as string }, JSON.parse(a.text))).toBe(true);
      expect(a.ms).toBeLessThan(BACKSTOP_MS + FROZEN_MARGIN_MS);
    }
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(CONNECT_TIMEOUT_MS + FROZEN_MARGIN_MS);
    expect((await write()).status).toBe(201);
    expect(exitedAt).toBeUndefined();
  });

  it('still shuts down cleanly on SIGTERM: the pool closes and the process exits 0 within SHUTDOWN_GRACE_MS', async () => {
    const started = Date.now();
    svc.signal('SIGTERM');
    const { code, at } = await svc.exited;
    expect(code).toBe(0);
    expect(at - started).toBeLessThan(SHUTDOWN_GRACE_MS);
  });
});
