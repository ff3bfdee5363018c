import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { migrationLockKey } from '../../../src/migrator/migration-lock.js';
import { freePort } from '../../support/disposable-postgres.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs, startServer } from '../../support/spawn.js';
import { useEmptyDatabases } from '../../support/empty-databases.js';
import { sql, type TestDatabase } from '../../support/test-database.js';

const SLOW = 'test/fixtures/slow-migrations';
const migrate = (db: TestDatabase, env: Record<string, string> = {}) =>
  runTs('src/cli.ts', ['migrate', 'up'], { DATABASE_URL: db.url, MIGRATIONS_DIR: SLOW, ...env }, 60_000);

describe('the migration lock', () => {
  const fresh = useEmptyDatabases();

  it('eight processes migrating one database at once: each migration runs once, all exit 0', async () => {
    const db = await fresh();
    const runs = await Promise.all(Array.from({ length: 8 }, () => migrate(db)));
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0));
    expect(runs.filter((r) => r.output.includes('applied: 20260101_000000_create_fixture_table, 20260101_000001_fill_fixture_table'))).toHaveLength(1);
    expect(runs.filter((r) => r.output.includes('nothing to apply'))).toHaveLength(7);
    const tracked = await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`);
    expect(tracked.map((r) => r.name)).toEqual(['20260101_000000_create_fixture_table', '20260101_000001_fill_fixture_table']);
    expect(await sql(db.url, 'select id, note from fixture_rows')).toEqual([{ id: 1, note: 'written once' }]);
  });

  it('four `npx mikro-orm migration:up` at once go through the same lock: each migration once, checksums recorded', async () => {
    const db = await fresh();
    const cli = (args: string[]) => runTs('node_modules/@mikro-orm/cli/cli.js', args, { DATABASE_URL: db.url, MIGRATIONS_DIR: SLOW }, 60_000);
    const runs = await Promise.all(Array.from({ length: 4 }, () => cli(['migration:up'])));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const tracked = await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`);
    expect(tracked.map((r) => r.name)).toEqual(['20260101_000000_create_fixture_table', '20260101_000001_fill_fixture_table']);
    expect(await sql(db.url, 'select count(*)::int as n from migration_checksums')).toEqual([{ n: 2 }]);
    expect(await sql(db.url, 'select id, note from fixture_rows')).toEqual([{ id: 1, note: 'written once' }]);
    // Options the runner cannot honour under the lock are refused, not ignored.
    const only = await cli(['migration:down', '--only', '20260101_000000_create_fixture_table']);
    expect(only.code).not.toBe(0);
    expect(only.output).toContain('under the migration lock only --to is supported');
    expect(await sql(db.url, `select count(*)::int as n from ${MIGRATIONS_TABLE}`)).toEqual([{ n: 2 }]);
  });

  it('several app processes booting with MIGRATIONS_ON_BOOT=up: all become ready, each migration applied once', async () => {
    const db = await fresh();
    const servers = await Promise.all([0, 1, 2].map(async () => startServer(['--import', 'tsx', 'src/main.ts'], await freePort(), { DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'up' })));
    try {
      expect(await Promise.all(servers.map((s) => s.waitReady(60_000)))).toEqual([200, 200, 200]);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    const tracked = await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`);
    expect(tracked.map((r) => r.name)).toEqual(COMMITTED_MIGRATIONS);
  });

  it('a holder killed with SIGKILL mid-run releases the lock: the next run takes it within 5 s and ends at head', async () => {
    const db = await fresh();
    const first = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate', 'up'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, MIGRATIONS_DIR: SLOW, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const key = migrationLockKey(db.name, 'public', MIGRATIONS_TABLE);
    const high = Number(BigInt.asUintN(32, key >> 32n));
    const low = Number(BigInt.asUintN(32, key));
    // Wait until it holds the lock and is inside the slow migration.
    for (let i = 0; i < 200; i++) {
      const held = await sql(db.url, `select 1 from pg_locks where locktype = 'advisory' and granted and classid::bigint = ${high} and objid::bigint = ${low}`);
      const sleeping = await sql(db.url, `select 1 from pg_stat_activity where datname = '${db.name}' and query like 'select pg_sleep%'`);
      if (held.length && sleeping.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill('SIGKILL');
    const started = Date.now();
    const second = await migrate(db, { MIGRATIONS_LOCK_TIMEOUT_MS: '5000' });
    expect(second.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const tracked = await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`);
    expect(tracked).toHaveLength(2);
    expect(await sql(db.url, 'select count(*)::int as n from fixture_rows')).toEqual([{ n: 1 }]);
  });

  describe('waiting is bounded', () => {
    let db: TestDatabase;
    let holder: pg.Client;

    beforeAll(async () => {
      db = await fresh();
      holder = new pg.Client({ connectionString: db.url, application_name: 'someone else' });
      await holder.connect();
      await holder.query('select pg_advisory_lock($1)', [migrationLockKey(db.name, 'public', MIGRATIONS_TABLE).toString()]);
    });

    afterAll(async () => {
      await holder?.end();
    });

    it('gives up after MIGRATIONS_LOCK_TIMEOUT_MS naming the holder, and changes nothing', async () => {
      const run = await migrate(db, { MIGRATIONS_LOCK_TIMEOUT_MS: '1000' });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/held the migration lock for more than 1000 ms \(pid \d+, application_name "someone else", connected since /);
      expect(await sql(db.url, `select to_regclass('fixture_rows') as t`)).toEqual([{ t: null }]);
    });
  });

  it('the tracking table refuses a second row for one migration', async () => {
    const db = await fresh();
    expect((await migrate(db)).code).toBe(0);
    await expect(sql(db.url, `insert into ${MIGRATIONS_TABLE} (name) values ('20260101_000000_create_fixture_table')`)).rejects.toThrow(/duplicate key/);
  });
});
