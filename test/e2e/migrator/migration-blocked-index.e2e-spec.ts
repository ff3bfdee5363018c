import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { freePort } from '../../support/disposable-postgres.js';
import { runTs, startServer } from '../../support/spawn.js';
import { useEmptyDatabases } from '../../support/empty-databases.js';
import { sql, type TestDatabase } from '../../support/test-database.js';

const DIR = 'test/fixtures/blocked-concurrent-migrations';
const CREATE = '20260403_000000_create_items';
const INDEX = '20260403_000001_index_items_label';
/** Small budgets keep the suite short: 300 ms of lock_timeout, one retry. */
const SMALL_BUDGET = { MIGRATIONS_DDL_LOCK_TIMEOUT_MS: '300', MIGRATIONS_DDL_LOCK_RETRIES: '1' };

const migrate = (db: TestDatabase, args: string[], env: Record<string, string> = {}) =>
  runTs('src/cli.ts', ['migrate', ...args], { DATABASE_URL: db.url, MIGRATIONS_DIR: DIR, ...env }, 60_000);

interface Blocker {
  pid: number;
  release(): Promise<void>;
}

/**
 * A transaction holding a snapshot and nothing else (no lock on the table), as a long report or a
 * forgotten psql session would: CREATE INDEX CONCURRENTLY waits for it all the same.
 */
async function openBlocker(db: TestDatabase): Promise<Blocker> {
  const client = new pg.Client({ connectionString: db.url, application_name: 'blocker-test' });
  await client.connect();
  await client.query('begin isolation level repeatable read');
  const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid, 'blocker-secret' as note");
  return { pid: rows[0].pid, release: () => client.query('rollback').then(() => client.end()) };
}

const indexes = (db: TestDatabase) =>
  sql<{ name: string; valid: boolean }>(
    db.url,
    `select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid = 'items'::regclass and not i.indisprimary order by 1`,
  );
const tracked = async (db: TestDatabase) => (await sql<{ name: string }>(db.url, `select name from ${MIGRATIONS_TABLE} order by id`)).map((r) => r.name);

/** Waits until a session with `application_name` waits on a virtualxid: a concurrent index build stuck behind an old transaction. */
async function buildWaiting(db: TestDatabase, applicationName: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const rows = await sql(db.url, `select 1 from pg_stat_activity where application_name = '${applicationName}' and wait_event = 'virtualxid'`);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no session of ${applicationName} waited on a virtualxid`);
}

describe('a concurrent index build blocked by a long transaction', () => {
  const fresh = useEmptyDatabases();

  it('fails within its budget naming the transaction, drops its invalid index, records nothing; the next run succeeds once the blocker ends', async () => {
    const db = await fresh();
    expect((await migrate(db, ['up', '--to', CREATE])).code).toBe(0);
    const blocker = await openBlocker(db);
    let run;
    try {
      run = await migrate(db, ['up'], SMALL_BUDGET);
    } finally {
      await blocker.release();
    }
    expect(run.code).toBe(1);
    expect(run.output).toContain(`DATABASE.MIGRATION_LOCK_BUDGET: Migration ${INDEX} could not get the locks it needs within 300 ms, 2 time(s)`);
    expect(run.output).toMatch(new RegExp(`pid ${blocker.pid} \\(application_name "blocker-test", idle in transaction, transaction open for \\d+ s since [-0-9T:]+Z, query "select pg_backend_pid\\(\\) as pid, '…' as note"\\)`));
    // Another session's statement is named, its values never: they may be secrets or customer data.
    expect(run.output).not.toContain('blocker-secret');
    expect(run.output).toContain('The invalid index its build left was dropped (items_label_idx). Nothing was applied.');
    expect(await indexes(db)).toEqual([]);
    expect(await tracked(db)).toEqual([CREATE]);
    expect(await sql(db.url, 'select name from migration_checksums')).toEqual([{ name: CREATE }]);
    const again = await migrate(db, ['up'], SMALL_BUDGET);
    expect(again.output).toContain(`applied: ${INDEX}`);
    expect(await indexes(db)).toEqual([{ name: 'items_label_idx', valid: true }]);
    expect(await tracked(db)).toEqual([CREATE, INDEX]);
  });

  it('a run killed mid-build left its index INVALID: the next run drops that one first and builds it; an invalid index it does not create stays', async () => {
    const db = await fresh();
    expect((await migrate(db, ['up', '--to', CREATE])).code).toBe(0);
    // What a killed run leaves: the build was cut off after its catalog entry committed (here by lock_timeout).
    const blocker = await openBlocker(db);
    const builder = new pg.Client({ connectionString: db.url });
    await builder.connect();
    try {
      await builder.query('set lock_timeout = 200');
      await expect(builder.query('create index concurrently "items_label_idx" on "items" ("label")')).rejects.toThrow(/lock timeout/);
      await expect(builder.query('create index concurrently "items_manual_idx" on "items" ("label")')).rejects.toThrow(/lock timeout/);
    } finally {
      await builder.end();
      await blocker.release();
    }
    expect(await indexes(db)).toEqual([
      { name: 'items_label_idx', valid: false },
      { name: 'items_manual_idx', valid: false },
    ]);
    const run = await migrate(db, ['up'], SMALL_BUDGET);
    expect(run.output).toContain(`applied: ${INDEX}`);
    expect(run.code).toBe(0);
    expect(await indexes(db)).toEqual([
      { name: 'items_label_idx', valid: true },
      { name: 'items_manual_idx', valid: false },
    ]);
    expect(await tracked(db)).toEqual([CREATE, INDEX]);
  });

  it('meanwhile, a replica booting with MIGRATIONS_ON_BOOT=up waits for the lock and applies the migration once the blocker ends; one that cannot wait fails naming the holder and its blocker', async () => {
    const db = await fresh();
    expect((await migrate(db, ['up', '--to', CREATE])).code).toBe(0);
    const blocker = await openBlocker(db);
    let replica: ReturnType<typeof startServer> | undefined;
    try {
      // The first runner is stuck behind the blocker, holding the migration lock.
      const first = migrate(db, ['up'], { MIGRATIONS_DDL_LOCK_TIMEOUT_MS: '60000', MIGRATIONS_DDL_LOCK_RETRIES: '0' });
      await buildWaiting(db, 'pipeline-ledger migrate');
      const impatient = await migrate(db, ['up'], { MIGRATIONS_LOCK_TIMEOUT_MS: '500' });
      expect(impatient.code).toBe(1);
      expect(impatient.output).toMatch(
        /DATABASE.MIGRATION_LOCK_TIMEOUT: another migration run held the migration lock for more than 500 ms \(pid \d+, application_name "pipeline-ledger migrate", connected since [-0-9T:]+Z, active: "create index concurrently if not exists "items_label_idx"/,
      );
      expect(impatient.output).toContain(`; it is waiting for pid ${blocker.pid} (application_name "blocker-test", idle in transaction`);
      expect(impatient.output).toContain('this run applied nothing');
      replica = startServer(['--import', 'tsx', 'src/main.ts'], await freePort(), {
        DATABASE_URL: db.url,
        MIGRATIONS_DIR: DIR,
        MIGRATIONS_ON_BOOT: 'up',
        // The fixture history lacks the job library's schema (see migration-copies.ts).
        JOBS_ENABLED: 'false',
        MIGRATIONS_LOCK_TIMEOUT_MS: '60000',
        MIGRATIONS_DDL_LOCK_TIMEOUT_MS: '30000',
      });
      // The replica waits on the lock (its lock connection polls) while the first runner is stuck.
      await waitForSessions(db, 'pipeline-ledger migrate', 2);
      expect(await tracked(db)).toEqual([CREATE]);
      // An operator cancels the stuck build (as a statement timeout would): the first runner cleans up and exits.
      await sql(db.url, `select pg_cancel_backend(pid) from pg_stat_activity where application_name = 'pipeline-ledger migrate' and wait_event = 'virtualxid'`);
      const failed = await first;
      expect(failed.code).toBe(1);
      expect(failed.output).toContain('the invalid index its failed build left was dropped: items_label_idx');
      expect(failed.output).toContain(`it waited for transactions older than itself: pid ${blocker.pid} (application_name "blocker-test"`);
      // The replica takes the lock; with the invalid index gone its build starts clean and ends with the blocker.
      await blocker.release();
      expect(await replica.waitReady(30_000)).toBe(200);
    } finally {
      await blocker.release().catch(() => undefined);
      await replica?.stop();
    }
    expect(await indexes(db)).toEqual([{ name: 'items_label_idx', valid: true }]);
    expect(await tracked(db)).toEqual([CREATE, INDEX]);
  }, 90_000);
});

async function waitForSessions(db: TestDatabase, applicationName: string, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [{ n }] = await sql<{ n: number }>(db.url, `select count(*)::int as n from pg_stat_activity where application_name = '${applicationName}'`);
    if (n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} sessions of ${applicationName}`);
}
