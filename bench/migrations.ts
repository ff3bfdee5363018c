// Migrations: the boot-time check with nothing pending (before the harness, bench/migration-check.ts and
// `npm run bench:migrations`), and what a test file pays for its own database: a template clone, as the
// e2e global setup does, against migrating an empty database.
import pg from 'pg';
import { latencies, percentile, round } from './support.js';
import type { Measure } from './load.js';
import type { BenchContext, Row, Scenario } from './scenario.js';

type RunnerModule = typeof import('../src/migrator/migration-orm.js');
type ConfigModule = typeof import('../src/config/app.config.js');

const stats = (sorted: number[]): Measure => ({ p50: round(percentile(sorted, 0.5), 2), p99: round(percentile(sorted, 0.99), 2), errors: 0 });

/** The compiled migration runner, as `node dist/main.js` uses it (compiled migrations, no TypeScript loader). */
async function runnerFor(ctx: BenchContext, url: string) {
  const { openMigrationRunner } = await ctx.appModule<RunnerModule>('src/migrator/migration-orm.js');
  const { loadConfig } = await ctx.appModule<ConfigModule>('src/config/app.config.js');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
  return { open: () => openMigrationRunner(config) };
}

/**
 * The least a locked migration check can do, by hand: its own connection, the advisory lock, the applied
 * names with their checksums, unlock, disconnect. No ORM, no migration files read, no checksum computed.
 */
async function baselineCheck(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_try_advisory_lock(42)');
  await client.query('select t.name, c.checksum from mikro_orm_migrations t left join migration_checksums c using (name) order by t.id');
  await client.query('select pg_advisory_unlock(42)');
  await client.end();
}

const check: Scenario = {
  name: 'migration-check',
  description: 'migrate up / check with nothing pending, and a new ORM + up, against plain pg (connect, lock, read history)',
  async run(ctx) {
    const url = await ctx.freshDatabase('migrations');
    const rounds = ctx.smoke ? 6 : 200;
    const { open } = await runnerFor(ctx, url);
    const runner = await open();
    try {
      const up = async () => {
        if ((await runner.migrations.up()).length > 0) throw new Error('nothing should be pending');
      };
      const cold = async () => {
        const fresh = await open();
        await fresh.migrations.up();
        await fresh.close();
      };
      const base = () => baselineCheck(url);
      for (const warm of [up, () => runner.migrations.assertNonePending(), base]) await warm();
      // Interleaved halves, so that neither side always runs on the quieter moment of this shared machine.
      const half = Math.ceil(rounds / 2);
      const series = { up: [] as number[], check: [] as number[], cold: [] as number[], pg: [] as number[] };
      for (let pass = 0; pass < 2; pass++) {
        series.pg.push(...(await latencies(half, base)));
        series.up.push(...(await latencies(half, up)));
        series.check.push(...(await latencies(half, () => runner.migrations.assertNonePending())));
        series.cold.push(...(await latencies(Math.ceil(half / 4), cold)));
      }
      for (const s of Object.values(series)) s.sort((a, b) => a - b);
      const pg = stats(series.pg);
      const rows: Row[] = [
        { measure: 'migrate up, nothing pending (MIGRATIONS_ON_BOOT=up)', unit: 'ms', app: stats(series.up), baseline: pg, target: 'p50 < 50 ms' },
        { measure: 'migration check, nothing pending (MIGRATIONS_ON_BOOT=check)', unit: 'ms', app: stats(series.check), baseline: pg },
        { measure: 'cold: new migration ORM + up + close', unit: 'ms', app: stats(series.cold), baseline: pg },
      ];
      rows[0].met = rows[0].app.p50 < 50;
      return { rows, details: { rounds, baseline: 'plain pg: connect, advisory lock, read history, unlock, disconnect' } };
    } finally {
      await runner.close();
    }
  },
};

/** Times `work` on a new database name each time, then drops them (the drops are not timed). */
async function timedDatabases(client: pg.Client, rounds: number, work: (name: string) => Promise<void>): Promise<number[]> {
  const names: string[] = [];
  const times = await latencies(rounds, async () => {
    names.push(`bench_tdb_${names.length}`);
    await work(names[names.length - 1]);
  });
  for (const name of names) await client.query(`drop database if exists "${name}" with (force)`);
  return times;
}

const testDatabase: Scenario = {
  name: 'test-database',
  description: "a test file's own database: create … template <migrated template> (the e2e setup) vs create empty + migrate up",
  async run(ctx) {
    const rounds = ctx.smoke ? 2 : 16;
    const template = await ctx.databases.templateName();
    return ctx.databases.withAdmin(async (client) => {
      const clone = () => timedDatabases(client, rounds / 2, (name) => ctx.databases.clone(name, template, client));
      const migrateEmpty = () =>
        timedDatabases(client, rounds / 2, async (name) => {
          await client.query(`create database "${name}"`);
          const runner = await (await runnerFor(ctx, ctx.databases.urlFor(name))).open();
          // The ORM's migrator logs each migration it applies on console.log: not this table's business.
          const log = console.log;
          console.log = () => undefined;
          await runner.migrations.up().finally(() => (console.log = log));
          await runner.close();
        });
      const cloned: number[] = [];
      const migrated: number[] = [];
      for (const [into, run] of [[cloned, clone], [migrated, migrateEmpty], [migrated, migrateEmpty], [cloned, clone]] as const) {
        into.push(...(await run()));
      }
      cloned.sort((a, b) => a - b);
      migrated.sort((a, b) => a - b);
      const rows: Row[] = [
        { measure: 'test database: clone the migrated template', unit: 'ms', app: stats(cloned), target: 'p50 <= 150 ms', met: percentile(cloned, 0.5) <= 150 },
        { measure: 'test database: create empty + migrate up (new ORM)', unit: 'ms', app: stats(migrated), note: 'reported, not judged' },
      ];
      return { rows, details: { rounds, statement: 'create database … template … (as test/support/test-database.ts)' } };
    });
  },
};

export const scenarios: Scenario[] = [check, testDatabase];
