import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { loadConfig } from '../../../src/config/app.config.js';
import { bossOptions } from '../../../src/jobs/boss-options.js';
import { scramVerifier } from '../../../src/roles/scram.js';
import { freePort } from '../../support/disposable-postgres.js';
import { eventually } from '../../support/eventually.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs, startServer } from '../../support/spawn.js';
import { createTestDatabase, sql, urlFor, withAdmin, type TestDatabase } from '../../support/test-database.js';

const [INITIAL] = COMMITTED_MIGRATIONS;
// Roles are cluster-wide: unique per run, dropped afterwards.
const tag = `test_pl_role_${randomBytes(4).toString('hex')}`;
const OWNER = { name: `${tag}_owner`, password: randomBytes(18).toString('base64url') };
const APP = { name: `${tag}_app`, password: randomBytes(18).toString('base64url') };

function urlAs(database: string, role: { name: string; password: string }): string {
  const url = new URL(urlFor(database));
  url.username = role.name;
  url.password = role.password;
  return url.toString();
}

/** The PostgreSQL error code of `statement` run as `url`'s role, or 'ok' if it succeeded. */
async function outcome(url: string, statement: string): Promise<string> {
  return sql(url, statement).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'no code',
  );
}

describe('least-privilege database roles', () => {
  let db: TestDatabase;
  let ownerUrl: string;
  let appUrl: string;
  const rolesEnv = () => ({
    DATABASE_ADMIN_URL: db.url,
    DB_OWNER_ROLE: OWNER.name,
    DB_OWNER_PASSWORD: OWNER.password,
    DB_APP_ROLE: APP.name,
    DB_APP_PASSWORD: APP.password,
  });
  const applied = async () => (await sql<{ name: string }>(db.url, 'select name from mikro_orm_migrations order by id')).map((r) => r.name);

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    ownerUrl = urlAs(db.name, OWNER);
    appUrl = urlAs(db.name, APP);
  });

  afterAll(async () => {
    await db?.drop();
    await withAdmin(async (client) => {
      for (const role of [APP.name, OWNER.name, `${tag}_scram`]) {
        if ((await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount) {
          await client.query(`drop owned by "${role}"`);
          await client.query(`drop role "${role}"`);
        }
      }
    });
  });

  it('db:roles creates both roles, says what it granted, and never prints a password', async () => {
    const run = await runTs('scripts/db-roles.ts', [], rolesEnv());
    expect(run.output).toContain(`owner role ${OWNER.name} (runs migrations, owns the schema): created; LOGIN CREATEDB; password set`);
    expect(run.output).toContain(`runtime role ${APP.name} (the service's DATABASE_URL): created; LOGIN; password set`);
    expect(run.output).toContain('CREATE revoked from PUBLIC');
    expect(run.output).not.toContain(OWNER.password);
    expect(run.output).not.toContain(APP.password);
    expect(run.code).toBe(0);
  });

  it('db:roles refuses a runtime role that is a member of the owner role, changing nothing; exits 2 without an admin URL', async () => {
    await sql(db.url, `grant "${OWNER.name}" to "${APP.name}"`);
    const refused = await runTs('scripts/db-roles.ts', ['--no-createdb'], rolesEnv());
    await sql(db.url, `revoke "${OWNER.name}" from "${APP.name}"`);
    expect(refused.output).toContain(`DATABASE.ROLE_TOO_POWERFUL: role "${APP.name}" is a member of the owner role "${OWNER.name}"`);
    expect(refused.code).toBe(1);
    expect(await sql(db.url, `select rolcreatedb from pg_roles where rolname = '${OWNER.name}'`)).toEqual([{ rolcreatedb: true }]);
    const unconfigured = await runTs('scripts/db-roles.ts', [], {});
    expect(unconfigured.output).toContain('DATABASE_ADMIN_URL must be set');
    expect(unconfigured.code).toBe(2);
  });

  it('the password is sent as the SCRAM verifier PostgreSQL itself computes, never in clear', async () => {
    const stored = await withAdmin(async (client) => {
      await client.query(`set password_encryption = 'scram-sha-256'`);
      await client.query(`create role "${tag}_scram" password 'correct-horse-battery'`);
      return (await client.query<{ p: string }>('select rolpassword as p from pg_authid where rolname = $1', [`${tag}_scram`])).rows[0].p;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored) ?? [];
    expect(scramVerifier('correct-horse-battery', Buffer.from(salt, 'base64'), Number(iterations))).toBe(stored);
  });

  it('migrate up runs as the owner role (MIGRATIONS_DATABASE_URL) while DATABASE_URL names the runtime role', async () => {
    const run = await runTs('src/cli.ts', ['migrate', 'up', '--to', INITIAL], { DATABASE_URL: appUrl, MIGRATIONS_DATABASE_URL: ownerUrl });
    expect(run.output).toContain(`applied: ${INITIAL}`);
    expect(run.code).toBe(0);
    const owners = await sql<{ tableowner: string }>(db.url, `select distinct tableowner from pg_tables where schemaname = 'public'`);
    expect(owners).toEqual([{ tableowner: OWNER.name }]);
  });

  it('booting with MIGRATIONS_ON_BOOT=up as the runtime role alone fails, says to set MIGRATIONS_DATABASE_URL, and applies nothing', async () => {
    const tablesBefore = await sql(db.url, `select tablename from pg_tables where schemaname = 'public' order by 1`);
    const run = await runTs('src/main.ts', [], { DATABASE_URL: appUrl, MIGRATIONS_ON_BOOT: 'up', PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'pl-roles-')) });
    expect(run.code).toBe(1);
    // The log line may be JSON, which escapes the quotes.
    expect(run.output).toMatch(new RegExp(`the database role \\\\?"${APP.name}\\\\?" may not change the schema \\(must be owner of table mikro_orm_migrations\\)`));
    expect(run.output).toContain('set MIGRATIONS_DATABASE_URL');
    expect(await applied()).toEqual([INITIAL]);
    expect(await sql(db.url, `select tablename from pg_tables where schemaname = 'public' order by 1`)).toEqual(tablesBefore);
  });

  it('the owner applies the rest; db:roles again narrows the new tables, and migrate drift (a scratch database) works as the owner', async () => {
    const up = await runTs('src/cli.ts', ['migrate', 'up'], { DATABASE_URL: appUrl, MIGRATIONS_DATABASE_URL: ownerUrl });
    expect(up.code).toBe(0);
    expect(await applied()).toEqual(COMMITTED_MIGRATIONS);
    const again = await runTs('scripts/db-roles.ts', [], { ...rolesEnv(), DB_OWNER_PASSWORD: '', DB_APP_PASSWORD: '' });
    expect(again.output).toContain(`runtime role ${APP.name} (the service's DATABASE_URL): exists; LOGIN; password unchanged`);
    expect(again.output).toContain('  mikro_orm_migrations: SELECT\n');
    expect(again.output).toContain('  pipeline_execution_events: INSERT, SELECT\n');
    expect(again.output).toContain('  lineage_events: INSERT, SELECT\n');
    expect(again.output).toContain('  incident_events: INSERT, SELECT\n');
    expect(again.output).toContain('  incidents: INSERT, SELECT, UPDATE\n');
    expect(again.output).toContain('  outbox_events: INSERT, SELECT, UPDATE\n');
    expect(again.output).toContain('  idempotency_keys: DELETE, INSERT, SELECT, UPDATE\n');
    expect(again.output).toContain(`schema pgboss (the job library): USAGE and SELECT, INSERT, UPDATE, DELETE on its tables (also future ones) to ${APP.name}; no CREATE`);
    expect(again.code).toBe(0);
    const drift = await runTs('src/cli.ts', ['migrate', 'drift'], { DATABASE_URL: appUrl, MIGRATIONS_DATABASE_URL: ownerUrl }, 60_000);
    expect(drift.output).toContain('no drift');
    expect(drift.code).toBe(0);
  });

  it('the runtime role cannot create, alter, drop, index or truncate tables, nor rewrite history (42501)', async () => {
    const denied = {
      'create table lp_probe (id int)': '42501',
      'create temp table lp_probe (id int)': '42501',
      'create schema lp_probe': '42501',
      'alter table pipeline_executions add column x int': '42501',
      'drop table data_quality_metrics': '42501',
      'create index lp_probe_idx on pipeline_executions (pipeline_name)': '42501',
      'truncate idempotency_keys': '42501',
      "insert into mikro_orm_migrations (name) values ('20990101_000000_fake')": '42501',
      'delete from pipeline_executions': '42501',
      'update data_quality_metrics set metric_value = 0': '42501',
      'delete from pipeline_execution_events': '42501',
      'delete from lineage_events': '42501',
      // An incident's timeline is append-only; incidents and outbox rows change but are never deleted.
      'delete from incident_events': '42501',
      'update incident_events set details = details': '42501',
      'delete from incidents': '42501',
      'delete from outbox_events': '42501',
      'update outbox_events set published_at = published_at where false': 'ok',
      // The job library's schema: its rows, never its shape.
      'create table pgboss.lp_probe (id int)': '42501',
      'alter table pgboss.job add column x int': '42501',
      'drop table pgboss.queue': '42501',
      'truncate pgboss.job': '42501',
      'create index lp_probe_idx on pgboss.queue (name)': '42501',
      'create or replace function pgboss.job_now() returns timestamptz as $$ select now() $$ language sql': '42501',
      'delete from pgboss.job where false': 'ok',
      'select count(*) from migration_checksums': 'ok',
      'delete from idempotency_keys where false': 'ok',
    };
    const seen: Record<string, string> = {};
    for (const statement of Object.keys(denied)) seen[statement] = await outcome(appUrl, statement);
    expect(seen).toEqual(denied);
  });

  it('the service runs as the runtime role: ready (reads the migrations), records, transitions and reads back over HTTP', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pl-roles-'));
    const port = await freePort();
    const jobs = { JOBS_HEARTBEAT_INTERVAL_MS: '1000', JOBS_POLL_INTERVAL_MS: '500' };
    const server = startServer(['--import', 'tsx', 'src/main.ts'], port, { DATABASE_URL: appUrl, MIGRATIONS_ON_BOOT: 'check', DATA_DIR: dataDir, ...jobs });
    try {
      expect(await server.waitReady(30_000)).toBe(200);
      // API keys may guard /v1: the service writes its first admin key to DATA_DIR when it does.
      const keyFile = join(dataDir, 'admin-api-key');
      const auth: Record<string, string> = existsSync(keyFile) ? { authorization: `Bearer ${readFileSync(keyFile, 'utf8').trim()}` } : {};
      const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          method,
          headers: { ...auth, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const id = randomUUID();
      expect((await call('POST', '/v1/executions', { execution_id: id, pipeline_name: 'least_privilege', row_counts: { read: 1 } })).status).toBe(201);
      expect((await call('POST', `/v1/executions/${id}/events`, { type: 'succeed', row_counts: { written: 1 } })).status).toBe(201);
      const metric = { pipeline_name: 'least_privilege', metric_type: 'row_count', metric_value: 1, execution_id: id };
      expect((await call('POST', '/v1/metrics', metric, { 'idempotency-key': 'least-privilege-1' })).status).toBe(201);
      expect((await call('GET', `/v1/executions/${id}`)).body).toMatchObject({ execution_id: id, status: 'succeeded', row_counts: { read: 1, written: 1 } });
      expect((await call('GET', `/v1/metrics?execution_id=${id}`)).body).toMatchObject({ data: [{ metric_type: 'row_count', metric_value: 1 }] });
      const lineage = { eventType: 'COMPLETE', eventTime: new Date().toISOString(), producer: 'https://example.com/p', run: { runId: randomUUID() }, job: { namespace: 'airflow', name: 'least_privilege' } };
      expect((await call('POST', '/api/v1/lineage', lineage)).body).toMatchObject({ effect: 'applied' });
      // The job library runs under the same role: its heartbeat ticks complete.
      expect(await eventually(async () => (await sql(db.url, 'select 1 from job_ticks where completed_at is not null')).length > 0)).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('pg-boss as the runtime role: creates a queue, sends, works, retries a failure and runs its maintenance pass, without an error', async () => {
    const boss = new PgBoss({ ...bossOptions(loadConfig({ DATABASE_URL: appUrl })), supervise: false });
    const errors: string[] = [];
    boss.on('error', (error) => errors.push(error.message));
    await boss.start();
    try {
      await boss.createQueue('lp.probe', { retryLimit: 1, retryDelay: 0 });
      const attempts: number[] = [];
      await boss.work<object>('lp.probe', { pollingIntervalSeconds: 0.5 }, async ([job]) => {
        attempts.push(job.retryCount);
        if (job.retryCount === 0) throw new Error('first attempt fails');
      });
      const id = (await boss.send('lp.probe', { n: 1 })) as string;
      expect(await eventually(async () => (await boss.findJobs('lp.probe', { id }))[0]?.state === 'completed')).toBe(true);
      expect(attempts).toEqual([0, 1]);
      await boss.supervise();
      expect(errors).toEqual([]);
    } finally {
      await boss.stop({ graceful: true, timeout: 5_000 });
    }
  });
});

