import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { bootApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, type TestDatabase, withAdmin } from '../../support/test-database.js';

describe('the pooled connection honours the DB_* settings on a live pool', () => {
  let db: TestDatabase;
  let t: TestApp;
  let orm: MikroORM;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await bootApp(db.url, {
      DB_POOL_MIN: '1',
      DB_POOL_MAX: '3',
      DB_POOL_IDLE_TIMEOUT_MS: '4321',
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '2500',
    });
    orm = t.app.get(MikroORM);
    pool = (await orm.em.getConnection().getNativeClient()) as Pool;
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const execute = (sql: string) => orm.em.getConnection().execute(sql);

  it('passes the pool settings to the pg pool', () => {
    expect(pool.options).toMatchObject({ min: 1, max: 3, idleTimeoutMillis: 4321, connectionTimeoutMillis: 1000 });
  });

  it('opens at most DB_POOL_MAX server connections under load, named pipeline-ledger', async () => {
    // Two rounds of three: the queued half waits ~300 ms for a connection, inside the 1 s bound.
    let done = false;
    const load = Promise.all(Array.from({ length: 6 }, () => execute('select pg_sleep(0.3)'))).finally(() => (done = true));
    // Sample the server's view of our connections until the load ends; the peak is what the pool allowed.
    const peak = await withAdmin(async (client) => {
      let max = 0;
      while (!done) {
        const { rows } = await client.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'pipeline-ledger'`,
          [db.name],
        );
        max = Math.max(max, rows[0].n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return max;
    });
    await load;
    expect(peak).toBe(3);
    expect(pool.totalCount).toBeLessThanOrEqual(3);
  });

  it('applies DB_STATEMENT_TIMEOUT_MS on every pooled connection', async () => {
    expect(await execute('show statement_timeout')).toEqual([{ statement_timeout: '2500ms' }]);
    await expect(execute('select pg_sleep(4)')).rejects.toThrow(/statement timeout/);
  });

  it('bounds the wait for a free pooled connection by DB_CONNECT_TIMEOUT_MS', async () => {
    const busy = Promise.all(Array.from({ length: 3 }, () => execute('select pg_sleep(2.2)')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await expect(execute('select 1')).rejects.toThrow(/timeout/i);
    const waited = Date.now() - started;
    // Gave up after about DB_CONNECT_TIMEOUT_MS, well before a connection would have come free.
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(2000);
    await busy;
  });
});
