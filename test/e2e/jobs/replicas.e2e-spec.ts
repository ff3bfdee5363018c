import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { freePort } from '../../support/disposable-postgres.js';
import { eventually } from '../../support/eventually.js';
import { startServer, type RunningServer } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

const INTERVAL_MS = 1_000;

// Two replicas of the built service on one database, each offering every heartbeat slot: the work of a slot
// happens once, on one of them, and both shut down cleanly with their workers.
describe('a periodic task on two service processes', () => {
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

  it('runs each slot exactly once, with no slot skipped, and both processes exit 0 on SIGTERM', async () => {
    const env = { DATABASE_URL: db.url, JOBS_HEARTBEAT_INTERVAL_MS: String(INTERVAL_MS), JOBS_POLL_INTERVAL_MS: '500' };
    for (let i = 0; i < 2; i++) servers.push(startServer(['dist/main.js'], await freePort(), env));
    expect(await Promise.all(servers.map((s) => s.waitReady()))).toEqual([200, 200]);
    // Both pg-boss instances are registered on the database: both offer the slots.
    expect(await eventually(async () => (await sql(db.url, 'select 1 from pgboss.instance where stopped_on is null')).length === 2)).toBe(true);
    const slots = `select slot, count(*)::int as n from job_ticks where task = 'jobs.heartbeat' and completed_at is not null group by slot order by slot`;
    expect(await eventually(async () => (await sql(db.url, slots)).length >= 6, 20_000)).toBe(true);
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0]);

    const rows = await sql<{ slot: Date; n: number }>(db.url, slots);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const gaps = rows.slice(1).filter((r, i) => r.slot.getTime() - rows[i].slot.getTime() !== INTERVAL_MS);
    expect(gaps).toEqual([]);
    // Every delivery of a slot completed (a duplicate finds the claim and completes doing nothing); none failed.
    const jobs = await sql<{ state: string; n: number }>(db.url, `select state::text, count(*)::int as n from pgboss.job where name = 'jobs.heartbeat' group by 1`);
    expect(jobs.filter((j) => !['completed', 'created'].includes(j.state))).toEqual([]);
    expect(jobs.find((j) => j.state === 'completed')?.n).toBeGreaterThanOrEqual(rows.length);
    // A graceful stop: both instances recorded that they stopped.
    expect(await sql(db.url, 'select 1 from pgboss.instance where stopped_on is null')).toEqual([]);
  });
});
