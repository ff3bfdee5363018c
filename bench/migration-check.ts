// The boot-time migration check with nothing pending, next to a plain-pg baseline measured in the same run.
//   npm run bench:migrations              200 rounds of each
//   npm run bench:migrations -- --smoke   a few rounds, for CI: proves the script works, judges nothing
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { benchDatabase, latencies, migrate, percentile, round, writeResults } from './support.js';

type RunnerModule = typeof import('../src/database/migration-orm.js');
type ConfigModule = typeof import('../src/config/app.config.js');

const smoke = process.argv.includes('--smoke');
const ROUNDS = smoke ? 5 : 200;

/**
 * The least a migration check can do, by hand: its own connection, the advisory lock, the applied names
 * with their checksums, unlock, disconnect. No ORM, no migration files read, no checksum computed.
 */
async function baseline(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_try_advisory_lock(42)');
  await client.query('select t.name, c.checksum from mikro_orm_migrations t left join migration_checksums c using (name) order by t.id');
  await client.query('select pg_advisory_unlock(42)');
  await client.end();
}

const stats = (sorted: number[]) => ({ p50: round(percentile(sorted, 0.5), 2), p99: round(percentile(sorted, 0.99), 2) });

async function main(): Promise<void> {
  // The built app's modules, as `node dist/main.js` runs them (compiled migrations, no TypeScript loader).
  const { openMigrationRunner } = (await import(new URL('../dist/src/database/migration-orm.js', import.meta.url).href)) as RunnerModule;
  const { loadConfig } = (await import(new URL('../dist/src/config/app.config.js', import.meta.url).href)) as ConfigModule;
  const db = await benchDatabase('bench_migrations');
  migrate(db.url);
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
  const runner = await openMigrationRunner(config);
  try {
    const up = async () => {
      if ((await runner.migrations.up()).length > 0) throw new Error('nothing should be pending');
    };
    const check = () => runner.migrations.assertNonePending();
    const cold = async () => {
      const fresh = await openMigrationRunner(config);
      await fresh.migrations.up();
      await fresh.close();
    };
    for (const warm of [up, check, () => baseline(db.url)]) await warm();
    // Interleaved halves, so that neither side always runs on the quieter moment of this shared machine.
    const half = Math.ceil(ROUNDS / 2);
    const series = { up: [] as number[], check: [] as number[], cold: [] as number[], pg: [] as number[] };
    for (let pass = 0; pass < 2; pass++) {
      series.pg.push(...(await latencies(half, () => baseline(db.url))));
      series.up.push(...(await latencies(half, up)));
      series.check.push(...(await latencies(half, check)));
      series.cold.push(...(await latencies(Math.ceil(half / 4), cold)));
    }
    for (const s of Object.values(series)) s.sort((a, b) => a - b);
    const base = stats(series.pg);
    const rows = {
      'migrate up, nothing pending (MIGRATIONS_ON_BOOT=up)': stats(series.up),
      'check, nothing pending (MIGRATIONS_ON_BOOT=check)': stats(series.check),
      'cold: new ORM + up + close': stats(series.cold),
      'plain pg: connect, lock, read history, unlock': base,
    };
    console.log(`\nBoot-time migration check, ${ROUNDS} rounds each (${smoke ? 'smoke run, figures not meaningful' : 'full run'})`);
    console.log(`machine: ${cpus().length} cores, ${round(totalmem() / 2 ** 30)} GiB; ${db.server}`);
    console.table(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, { ...v, 'p50 / baseline p50': round(v.p50 / base.p50, 2) }])));
    writeResults('migration-check', { date: new Date().toISOString(), smoke, rounds: ROUNDS, server: db.server, results: rows });
  } finally {
    await runner.close();
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
