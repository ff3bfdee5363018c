import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { freePort } from '../../support/disposable-postgres.js';
import { eventually } from '../../support/eventually.js';
import { startServer, type RunningServer } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

const INTERVAL_MS = 1_000;

// Two replicas of the built service on one database, both offering every monitors.tick slot: each slot is
// evaluated once, the stale pipeline gets one incident and one incident.opened row however many ticks
// and replicas see it, and the run that brings it up to date resolves it once.
describe('monitors evaluated by two service processes', () => {
  let db: TestDatabase;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    if (!existsSync('dist/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  const count = async (query: string) => (await sql<{ n: number }>(db.url, query))[0].n;
  const incidentsOf = (pipeline: string) => count(`select count(*)::int as n from incidents where pipeline_name = '${pipeline}'`);
  const outbox = (type: string, pipeline: string) =>
    count(`select count(*)::int as n from outbox_events where event_type = '${type}' and payload->'incident'->>'pipeline_name' = '${pipeline}'`);

  it('one incident and one outbox row per change, each slot evaluated once, both processes exit 0', async () => {
    // The stale pipeline: its last success an hour ago, a freshness monitor allowing a minute.
    await sql(
      db.url,
      `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at)
       values (gen_random_uuid(), 'two_replicas', 'succeeded', now() - interval '1 hour', now() - interval '59 minutes');
       insert into monitors (id, pipeline_name, kind, severity, params) values (gen_random_uuid(), 'two_replicas', 'freshness', 'critical', '{"max_age": "PT1M"}')`,
    );
    const env = { DATABASE_URL: db.url, MONITORS_INTERVAL_MS: String(INTERVAL_MS), JOBS_POLL_INTERVAL_MS: '500' };
    for (let i = 0; i < 2; i++) servers.push(startServer(['dist/main.js'], await freePort(), env));
    expect(await Promise.all(servers.map((s) => s.waitReady()))).toEqual([200, 200]);
    expect(await eventually(async () => (await sql(db.url, 'select 1 from pgboss.instance where stopped_on is null')).length === 2)).toBe(true);

    const slots = `select count(*)::int as n from job_ticks where task = 'monitors.tick' and completed_at is not null`;
    expect(await eventually(async () => (await incidentsOf('two_replicas')) === 1, 20_000)).toBe(true);
    // Several more slots see the same stale pipeline: still one incident, one announcement.
    const seen = await count(slots);
    expect(await eventually(async () => (await count(slots)) >= seen + 4, 20_000)).toBe(true);
    expect(await incidentsOf('two_replicas')).toBe(1);
    expect(await outbox('incident.opened', 'two_replicas')).toBe(1);

    // The pipeline catches up: the next slot resolves the incident, once.
    await sql(
      db.url,
      `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at)
       values (gen_random_uuid(), 'two_replicas', 'succeeded', now(), now())`,
    );
    expect(await eventually(async () => (await count(`select count(*)::int as n from incidents where pipeline_name = 'two_replicas' and status = 'resolved'`)) === 1, 20_000)).toBe(true);
    const resolvedAt = await count(slots);
    expect(await eventually(async () => (await count(slots)) >= resolvedAt + 3, 20_000)).toBe(true);
    expect(await outbox('incident.resolved', 'two_replicas')).toBe(1);
    expect(await incidentsOf('two_replicas')).toBe(1);

    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0]);
    // Every slot was claimed once (job_ticks' primary key is (task, slot)), with no gap between them.
    const rows = await sql<{ slot: Date }>(db.url, `select slot from job_ticks where task = 'monitors.tick' and completed_at is not null order by slot`);
    const gaps = rows.slice(1).filter((r, i) => r.slot.getTime() - rows[i].slot.getTime() !== INTERVAL_MS);
    expect(gaps).toEqual([]);
    const failed = await count(`select count(*)::int as n from pgboss.job where name = 'monitors.tick' and state not in ('completed', 'created')`);
    expect(failed).toBe(0);
  });
});
