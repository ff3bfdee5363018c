import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, publicTables, sql, type TestDatabase } from '../../support/test-database.js';

const ALL = COMMITTED_MIGRATIONS;
const [INITIAL] = ALL;
const APP_TABLES = [
  'api_keys', 'data_quality_metric_hours', 'data_quality_metrics', 'idempotency_keys', 'incident_events', 'incidents', 'job_ticks', 'lineage_events', 'metric_series',
  'migration_checksums', MIGRATIONS_TABLE, 'monitor_defaults', 'monitor_series_state', 'monitors', 'outbox_events', 'pipeline_execution_events', 'pipeline_executions', 'pipelines',
];
const BOOKKEEPING = ['migration_checksums', MIGRATIONS_TABLE];


describe('the migrate command module (src/cli.ts)', () => {
  let db: TestDatabase;
  const migrate = (...args: string[]) => runTs('src/cli.ts', ['migrate', ...args], { DATABASE_URL: db.url });

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('status lists the pending migrations on an empty database; check exits 1 naming them', async () => {
    const status = await migrate('status');
    expect(status.code).toBe(0);
    for (const name of ALL) expect(status.output).toMatch(new RegExp(`pending\\s+${name}`));
    expect(status.output).toContain(`0 applied, ${ALL.length} pending`);
    const check = await migrate('check');
    expect(check.code).toBe(1);
    expect(check.output).toContain(`pending migrations: ${ALL.join(', ')}`);
  });

  it('up applies them and records them; status --json and check then agree', async () => {
    const up = await migrate('up');
    expect(up.code).toBe(0);
    expect(up.output).toContain(`applied: ${ALL.join(', ')}`);
    expect(await publicTables(db.url)).toEqual(APP_TABLES);
    const status = await migrate('status', '--json');
    const parsed = JSON.parse(status.output.trim().split('\n').pop() ?? '') as { applied: { name: string }[]; pending: string[] };
    expect(parsed.applied.map((m) => m.name)).toEqual(ALL);
    expect(parsed.pending).toEqual([]);
    expect((await migrate('check')).code).toBe(0);
  });

  it('down reverts the last migration, --to 0 all the rest; then there is nothing to revert', async () => {
    const down = await migrate('down');
    expect(down.code).toBe(0);
    expect(down.output).toContain(`reverted: ${ALL[ALL.length - 1]}`);
    expect((await migrate('down', '--to', '0')).output).toContain(`reverted: ${ALL.slice(0, -1).reverse().join(', ')}`);
    expect(await publicTables(db.url)).toEqual(BOOKKEEPING);
    expect((await migrate('down')).output).toContain('nothing to revert');
  });

  it('refuses an unknown --to target (exit 1) and bad usage (exit 2) without touching the database', async () => {
    const unknown = await migrate('up', '--to', '20990101_000000_nope');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No pending migration named "20990101_000000_nope"');
    const usage = await migrate('sideways');
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('unknown migrate command "sideways"');
    expect(await publicTables(db.url)).toEqual(BOOKKEEPING);
  });

  it('a failing migration rolls back completely, leaves the tracking table unchanged, and exits 1 naming it and the PostgreSQL error', async () => {
    // A table the migration is about to create already exists: its CREATE TABLE fails half way through.
    await sql(db.url, `create table data_quality_metrics (id int)`);
    const up = await migrate('up');
    expect(up.code).toBe(1);
    expect(up.output).toContain(`Migration ${INITIAL} failed (up)`);
    expect(up.output).toContain('relation "data_quality_metrics" already exists');
    // pipeline_executions, created before the failing statement, was rolled back with it.
    expect(await publicTables(db.url)).toEqual(['data_quality_metrics', ...BOOKKEEPING]);
    expect(await sql(db.url, `select name from ${MIGRATIONS_TABLE}`)).toEqual([]);
  });
});
