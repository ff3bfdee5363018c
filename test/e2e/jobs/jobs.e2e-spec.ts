import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { PgBoss } from 'pg-boss';
import { loadConfig } from '../../../src/config/app.config.js';
import { bossOptions } from '../../../src/jobs/boss-options.js';
import { JobsService } from '../../../src/jobs/jobs.service.js';
import type { QueueSpec } from '../../../src/jobs/queue-spec.js';
import { bootApp, useApp } from '../../support/app.js';
import { eventually } from '../../support/eventually.js';
import { createTestDatabase, sql } from '../../support/test-database.js';

const spec = (name: string, retry: Partial<QueueSpec> = {}): QueueSpec => ({
  name,
  retryLimit: 0,
  retryDelaySeconds: 0,
  retryBackoff: false,
  expireInSeconds: 30,
  keepFinishedSeconds: 3_600,
  ...retry,
});

describe('the job library (pg-boss) in the service', () => {
  const f = useApp({ JOBS_POLL_INTERVAL_MS: '500' });
  let jobs: JobsService;
  let orm: MikroORM;
  const state = async (queue: string, id: string) => (await sql<{ state: string }>(f.db.url, `select state from pgboss.job where name = '${queue}' and id = '${id}'`))[0]?.state;

  beforeAll(async () => {
    jobs = f.t.app.get(JobsService);
    orm = f.t.app.get(MikroORM);
    await jobs.started();
    await sql(f.db.url, 'create table test_job_effects (id text not null, attempt int not null)');
  });

  it('the schema the migration installed is exactly what pg-boss 12.38.1 expects (its own drift check)', async () => {
    const boss = new PgBoss({ ...bossOptions(loadConfig({ DATABASE_URL: f.db.url })), supervise: false });
    await boss.start();
    try {
      expect(await boss.detectSchemaDrift()).toMatchObject({ ok: true, missingTables: [], missing: [], invalid: [], mismatched: [] });
    } finally {
      await boss.stop({ graceful: true });
    }
  });

  it('a queued job runs and its handler writes through the service pool', async () => {
    await jobs.register<{ id: string }>(spec('test.effect'), async ({ id }, job) => {
      await orm.em.getConnection().execute('insert into test_job_effects (id, attempt) values (?, ?)', [id, job.retryCount]);
    });
    const marker = randomUUID();
    const id = (await jobs.send('test.effect', { id: marker })) as string;
    expect(await eventually(async () => (await state('test.effect', id)) === 'completed')).toBe(true);
    expect(await sql(f.db.url, `select attempt from test_job_effects where id = '${marker}'`)).toEqual([{ attempt: 0 }]);
  });

  it('a failing job is retried per its queue: two failures then success completes on the third attempt; always failing ends failed', async () => {
    const attempts: Record<string, number[]> = {};
    await jobs.register<{ key: string; failures: number }>(spec('test.flaky', { retryLimit: 2 }), async ({ key, failures }, job) => {
      (attempts[key] ??= []).push(job.retryCount);
      if (job.retryCount < failures) throw new Error(`attempt ${job.retryCount + 1} fails`);
    });
    const recovers = (await jobs.send('test.flaky', { key: 'recovers', failures: 2 })) as string;
    const fails = (await jobs.send('test.flaky', { key: 'fails', failures: 99 })) as string;
    expect(await eventually(async () => (await state('test.flaky', recovers)) === 'completed' && (await state('test.flaky', fails)) === 'failed')).toBe(true);
    expect(attempts).toEqual({ recovers: [0, 1, 2], fails: [0, 1, 2] });
  });

  it('a periodic task runs once per slot however often the slot is delivered, concurrently or again later', async () => {
    const runs: string[] = [];
    // A long interval: besides the current slot, offered at once, only this test's deliveries run it.
    await jobs.every('test.tick', 3_600_000, async ({ em, slot }) => {
      runs.push(slot.toISOString());
      await em.getConnection().execute('select pg_sleep(0.2)', [], 'all', em.getTransactionContext());
    });
    const slot = new Date('2026-12-04T10:00:00.000Z');
    const claimed = await Promise.all([jobs.runTick('test.tick', slot), jobs.runTick('test.tick', slot)]);
    expect(claimed.sort()).toEqual([false, true]);
    // Through the library: two jobs for the same slot (no singleton), as two replicas or a retry would deliver.
    const ids = await Promise.all([jobs.send('test.tick', { slot: slot.toISOString() }), jobs.send('test.tick', { slot: slot.toISOString() })]);
    expect(await eventually(async () => (await Promise.all(ids.map((id) => state('test.tick', id as string)))).every((s) => s === 'completed'))).toBe(true);
    expect(runs.filter((s) => s === slot.toISOString())).toHaveLength(1);
    const rows = `select completed_at is not null as done from job_ticks where task = 'test.tick' and slot = '${slot.toISOString()}'`;
    expect(await sql(f.db.url, rows)).toEqual([{ done: true }]);
  });

  it('a tick that fails leaves no claim, so its retry runs it; its effect and the claim commit together', async () => {
    // Attempts are counted per slot: besides this test's slot, the schedule offers the current one at once,
    // which fails on its first attempt too and whose retry may come at any moment.
    const attempts = new Map<string, number>();
    await jobs.every('test.rollback', 3_600_000, async ({ em, slot }) => {
      const attempt = (attempts.get(slot.toISOString()) ?? 0) + 1;
      attempts.set(slot.toISOString(), attempt);
      await em.getConnection().execute('insert into test_job_effects (id, attempt) values (?, ?)', [`rollback ${slot.toISOString()}`, attempt], 'all', em.getTransactionContext());
      if (attempt === 1) throw new Error('the first attempt fails after its write');
    });
    const slot = new Date('2026-12-04T11:00:00.000Z');
    const id = (await jobs.send('test.rollback', { slot: slot.toISOString() })) as string;
    expect(await eventually(async () => (await state('test.rollback', id)) === 'completed')).toBe(true);
    expect(await sql(f.db.url, `select attempt from test_job_effects where id = 'rollback ${slot.toISOString()}'`)).toEqual([{ attempt: 2 }]);
    expect(await sql(f.db.url, `select count(*)::int as n from job_ticks where task = 'test.rollback' and slot = '${slot.toISOString()}'`)).toEqual([{ n: 1 }]);
  });

  it("the server cuts pg-boss's connections: the process lives on, and jobs sent afterwards run", async () => {
    const cut = `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'pipeline-ledger jobs' and datname = current_database()`;
    expect((await sql(f.db.url, cut)).length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const marker = randomUUID();
    const id = (await jobs.send('test.effect', { id: marker })) as string;
    expect(await eventually(async () => (await state('test.effect', id)) === 'completed')).toBe(true);
    expect(await sql(f.db.url, `select attempt from test_job_effects where id = '${marker}'`)).toEqual([{ attempt: 0 }]);
  });

  it('the heartbeat offers its current slot at start: job_ticks has its newest completed slot', async () => {
    expect(await eventually(async () => (await sql(f.db.url, `select 1 from job_ticks where task = 'jobs.heartbeat' and completed_at is not null`)).length >= 1)).toBe(true);
  });
});

describe('boot and the pg-boss schema version', () => {
  it('refuses to start when the schema version is not the one the package expects, naming both; starts with JOBS_ENABLED=false', async () => {
    const db = await createTestDatabase();
    try {
      await sql(db.url, 'update pgboss.version set version = 45');
      await expect(bootApp(db.url)).rejects.toMatchObject({
        code: 'JOBS.SCHEMA_MISMATCH',
        message: expect.stringContaining('expects its schema "pgboss" at version 46, the database has version 45'),
      });
      const off = await bootApp(db.url, { JOBS_ENABLED: 'false' });
      await off.close();
    } finally {
      await db.drop();
    }
  });
});
