import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { runTs } from '../../support/spawn.js';
import { useEmptyDatabases } from '../../support/empty-databases.js';
import { sql, type TestDatabase } from '../../support/test-database.js';

const DIR = 'test/fixtures/lock-budget-migrations';
const FIRST = '20260301_000000_create_busy_table';
const SECOND = '20260301_000001_alter_busy_table';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('dry runs and the lock budget', () => {
  const fresh = useEmptyDatabases();
  const migrate = (db: TestDatabase, args: string[], env: Record<string, string> = {}) =>
    runTs('src/cli.ts', ['migrate', ...args], { DATABASE_URL: db.url, MIGRATIONS_DIR: DIR, ...env });

  it('up --dry-run prints the SQL that would run, in order, and changes nothing', async () => {
    const db = await fresh();
    const run = await migrate(db, ['up', '--dry-run']);
    expect(run.code).toBe(0);
    const lines = run.output.trim().split('\n');
    expect(lines).toEqual([
      `-- ${FIRST} (up)`,
      'create table "busy" ("id" int primary key);',
      'insert into "busy" ("id") select generate_series(1, 10);',
      `-- ${SECOND} (up)`,
      'alter table "busy" add column "note" text null;',
    ]);
    expect(await sql(db.url, `select to_regclass('busy') as busy, to_regclass('${MIGRATIONS_TABLE}') as tracking`)).toEqual([{ busy: null, tracking: null }]);
  });

  it('down --dry-run prints what the last migration would undo, and changes nothing', async () => {
    const db = await fresh();
    expect((await migrate(db, ['up'])).code).toBe(0);
    const run = await migrate(db, ['down', '--dry-run']);
    expect(run.output.trim().split('\n')).toEqual([`-- ${SECOND} (down)`, 'alter table "busy" drop column "note";']);
    expect((await migrate(db, ['down', '--dry-run', '--to', '0'])).output).toContain(`-- ${FIRST} (down)`);
    expect(await sql(db.url, `select count(*)::int as n from ${MIGRATIONS_TABLE}`)).toEqual([{ n: 2 }]);
    expect(await sql(db.url, `select count(*)::int as n from information_schema.columns where table_name = 'busy' and column_name = 'note'`)).toEqual([{ n: 1 }]);
  });

  it('DDL that cannot get its lock retries, then fails within its budget while the application keeps being served', async () => {
    const db = await fresh();
    expect((await migrate(db, ['up', '--to', FIRST])).code).toBe(0);
    // A long transaction that has read the table: ALTER TABLE must wait for it.
    const longTx = new pg.Client({ connectionString: db.url });
    await longTx.connect();
    await longTx.query('begin');
    await longTx.query('select count(*) from busy');
    const app = new pg.Client({ connectionString: db.url });
    await app.connect();
    const observer = new pg.Client({ connectionString: db.url });
    await observer.connect();
    try {
      const appPid = (await app.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      let done = false;
      const started = Date.now();
      const migration = migrate(db, ['up'], { MIGRATIONS_DDL_LOCK_TIMEOUT_MS: '300', MIGRATIONS_DDL_LOCK_RETRIES: '2' }).finally(() => (done = true));
      // The application's reads queue behind the waiting ALTER, and are served again when its lock_timeout
      // gives up, while the migration goes on retrying: no read waits for the whole migration. Proven by
      // state, not by a stopwatch: a read seen waiting on a lock completes while the migration still runs.
      let servedAfterWaiting = 0;
      while (!done) {
        let waited = false;
        const read = app.query('select count(*) from busy');
        const probe = sleep(50).then(async () => {
          const { rows } = await observer.query<{ wait: string | null }>('select wait_event_type as wait from pg_stat_activity where pid = $1', [appPid]);
          waited = rows[0]?.wait === 'Lock';
        });
        await read;
        await probe;
        if (waited && !done) servedAfterWaiting++;
        await sleep(25);
      }
      const run = await migration;
      expect(run.code).toBe(1);
      expect(run.output).toContain('DATABASE.MIGRATION_LOCK_BUDGET');
      expect(run.output).toContain(`Migration ${SECOND} could not get the lock it needs within 300 ms, 3 time(s)`);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(servedAfterWaiting).toBeGreaterThanOrEqual(1);
      expect(await sql(db.url, `select name from ${MIGRATIONS_TABLE}`)).toEqual([{ name: FIRST }]);
    } finally {
      await longTx.query('rollback');
      await longTx.end();
      await app.end();
      await observer.end();
    }
    expect((await migrate(db, ['up'])).code).toBe(0);
  });
});
