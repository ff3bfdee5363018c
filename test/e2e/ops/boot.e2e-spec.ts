import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/disposable-postgres.js';
import { logText } from '../../support/logs.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs, startServer } from '../../support/spawn.js';
import { createTestDatabase, publicTables, sql, type TestDatabase } from '../../support/test-database.js';

const [INITIAL] = COMMITTED_MIGRATIONS;
const SECRET = 'n0t-f0r-l0gs-7f3a';


describe('booting src/main.ts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-ledger-boot-'));
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('exits 1 naming every invalid variable and what it accepts', async () => {
    const run = await runTs('src/main.ts', [], { DATA_DIR: dataDir, DB_POOL_MAX: 'lots', MIGRATIONS_ON_BOOT: 'sometimes' });
    expect(run.code).toBe(1);
    expect(logText(run.output)).toContain('DB_POOL_MAX must be an integer from 1 to 1000 (got "lots")');
    expect(logText(run.output)).toContain('MIGRATIONS_ON_BOOT must be one of up, check, off (got "sometimes")');
  });

  it('retries an unreachable database for DB_BOOT_RETRY_MS, then exits 1 naming host, port and database but not the password', async () => {
    const port = await freePort();
    const run = await runTs('src/main.ts', [], {
      DATA_DIR: dataDir,
      DATABASE_URL: `postgres://ledger:${SECRET}@127.0.0.1:${port}/test_nowhere`,
      DB_BOOT_RETRY_MS: '1500',
    });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}/test_nowhere is unreachable after [2-9] attempt`));
    expect(run.output).toContain('ECONNREFUSED');
    expect(run.output).not.toContain(SECRET);
  });

  it('MIGRATIONS_ON_BOOT=check refuses to start while a migration is pending, and says which', async () => {
    const run = await runTs('src/main.ts', [], { DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'check', PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`${COMMITTED_MIGRATIONS.length} migration(s) pending: ${COMMITTED_MIGRATIONS.join(', ')}`);
    expect(await publicTables(db.url)).not.toContain('pipeline_executions');
  });

  it('a migration failing at boot rolls back, exits 1 naming the migration and the PostgreSQL error', async () => {
    await sql(db.url, 'create table data_quality_metrics (id int)');
    const run = await runTs('src/main.ts', [], { DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'up', PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`Migration ${INITIAL} failed (up)`);
    expect(logText(run.output)).toContain('relation "data_quality_metrics" already exists');
    expect(await publicTables(db.url)).not.toContain('pipeline_executions');
    await sql(db.url, 'drop table data_quality_metrics');
  });

  it('MIGRATIONS_ON_BOOT=up applies pending migrations before listening, serves ready, and exits 0 on SIGTERM', async () => {
    const server = startServer(['--import', 'tsx', 'src/main.ts'], await freePort(), {
      DATABASE_URL: db.url,
      MIGRATIONS_ON_BOOT: 'up',
    });
    try {
      expect(await server.waitReady()).toBe(200);
      expect(await publicTables(db.url)).toEqual([
        'api_keys', 'data_quality_metric_hours', 'data_quality_metrics', 'idempotency_keys', 'incident_events', 'incidents', 'job_ticks', 'lineage_events', 'metric_series',
        'migration_checksums', 'mikro_orm_migrations', 'monitor_defaults', 'monitor_series_state', 'monitors', 'outbox_events', 'pipeline_execution_events', 'pipeline_executions',
        'pipelines',
      ]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
