import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { scratchPrefix } from '../../../src/migrator/drift/scratch-database.js';
import { runTs, spawnNode } from '../../support/spawn.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../../support/test-database.js';

// Two fixture migrations, the second of which sleeps 3 s in drift's scratch database only: drift is
// interrupted while it rebuilds, right after it said so on stderr.
const SLOW = 'test/fixtures/drift-slow-migrations';
const REBUILDING = /rebuilding the applied migrations \(through [^)]+\) in the scratch database "([^"]+)"/;

describe('migrate drift leaves no scratch database behind', () => {
  let db: TestDatabase;
  const env = () => ({ DATABASE_URL: db.url, MIGRATIONS_DIR: SLOW, LOG_LEVEL: 'info' });
  const drift = () => spawnNode(['--import', 'tsx', 'src/cli.ts', 'migrate', 'drift'], env());
  const scratchDatabases = () =>
    withAdmin(async (client) => (await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1) order by 1', [scratchPrefix(db.name)])).rows.map((r) => r.datname));
  const createDatabase = (name: string) => withAdmin(async (client) => void (await client.query(`create database "${name}" template template0`)));

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    const up = await runTs('src/cli.ts', ['migrate', 'up'], { DATABASE_URL: db.url, MIGRATIONS_DIR: SLOW });
    expect(up.output).toContain('applied: 20260501_000000_create_drift_notes, 20260501_000001_slow_in_scratch');
  });

  afterAll(async () => {
    await withAdmin(async (client) => {
      for (const name of await scratchDatabases()) await client.query(`drop database if exists "${name}" with (force)`);
    });
    await db?.drop();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while it rebuilds: the scratch database is dropped, then it exits %i', async (signal, status) => {
    const run = drift();
    const [, scratch] = await run.waitForStderr(REBUILDING);
    expect(await scratchDatabases()).toEqual([scratch]);
    run.child.kill(signal);
    expect((await run.exited).code).toBe(status);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('a closed pipe (whoever read its stderr went away) while it rebuilds: the scratch database is dropped, exit 1', async () => {
    const run = drift();
    await run.waitForStderr(REBUILDING);
    // The next line it writes (the slow migration's, 3 s later) meets EPIPE.
    run.child.stderr.destroy();
    expect((await run.exited).code).toBe(1);
    expect(await scratchDatabases()).toEqual([]);
  });

  it('sweeps the scratch databases an interrupted run left over an hour ago (and one of the older format that nobody uses), and leaves a younger one (a run in progress) alone', async () => {
    const named = (createdAt: number, tag: string) => `${scratchPrefix(db.name)}${Math.floor(createdAt / 1000).toString(36)}_${tag}`;
    const stale = named(Date.now() - 2 * 3_600_000, 'deadbeef');
    const young = named(Date.now() - 60_000, 'cafebabe');
    // What an interrupted run of an earlier version left: no time in its name, nobody connected to it.
    const legacy = `${db.name.slice(0, 40)}_drift_0badf00d`;
    await createDatabase(stale);
    await createDatabase(young);
    await createDatabase(legacy);
    const run = drift();
    const { code } = await run.exited;
    expect(run.stderr()).toContain(`dropped the stale scratch database "${stale}"`);
    expect(run.stderr()).toContain(`dropped the stale scratch database "${legacy}"`);
    expect(run.stdout()).toContain('no drift');
    expect(code).toBe(0);
    expect(await scratchDatabases()).toEqual([young]);
    expect(await withAdmin(async (client) => (await client.query('select 1 from pg_database where datname = $1', [legacy])).rowCount)).toBe(0);
  });
});
