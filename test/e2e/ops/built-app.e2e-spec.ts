import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../support/disposable-postgres.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { startServer } from '../../support/spawn.js';
import { createTestDatabase, publicTables, type TestDatabase } from '../../support/test-database.js';

const ALL = COMMITTED_MIGRATIONS;

// A production image holds dist/ and node_modules/ only. These run the compiled entry points with plain
// node from a folder holding just that (no src/, no migrations/*.ts, no tsconfig), exactly as such an
// image would; a dist/ that reached back into the sources would fail here. `npm test` builds first.
function imageLike(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-ledger-image-'));
  cpSync('dist', join(dir, 'dist'), { recursive: true });
  cpSync('package.json', join(dir, 'package.json'));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function node(args: string[], env: Record<string, string>, cwd = image) {
  return spawnSync(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
}

let image: string;

describe('the compiled build (dist/)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    image = imageLike();
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    rmSync(image, { recursive: true, force: true });
    await db?.drop();
  });

  it('node dist/cli.js migrate runs the compiled migrations: up, status, check, down', () => {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    const up = node(['dist/cli.js', 'migrate', 'up'], env);
    expect(up.stdout + up.stderr).toContain(`applied: ${ALL.join(', ')}`);
    expect(up.status).toBe(0);
    expect(node(['dist/cli.js', 'migrate', 'status'], env).stdout).toContain(`${ALL.length} applied, 0 pending`);
    expect(node(['dist/cli.js', 'migrate', 'check'], env).status).toBe(0);
    // Checksums recorded by the build match the sources: a rebuild never looks like an edited migration.
    const fromSources = node(['--import', 'tsx', 'src/cli.ts', 'migrate', 'status'], env, process.cwd());
    expect(fromSources.status).toBe(0);
    expect(fromSources.stdout).not.toMatch(/changed|unrecorded/);
    const down = node(['dist/cli.js', 'migrate', 'down', '--to', '0'], env);
    expect(down.stdout).toContain(`reverted: ${[...ALL].reverse().join(', ')}`);
    expect(node(['dist/cli.js', 'migrate', 'check'], env).status).toBe(1);
  });

  it('the mikro-orm CLI reads the root config and lists what was applied', () => {
    const bin = 'node_modules/@mikro-orm/cli/cli.js';
    // The mikro-orm CLI is a development tool: it runs in the repository, on the TypeScript config.
    const env = { DATABASE_URL: db.url };
    const repo = process.cwd();
    expect(node([bin, 'migration:up'], env, repo).status).toBe(0);
    const list = node([bin, 'migration:list'], env, repo);
    expect(list.status).toBe(0);
    for (const name of ALL) expect(list.stdout).toContain(name);
    const check = node([bin, 'migration:check'], env, repo);
    expect(check.stdout).toContain('No changes required');
  });

  it('node dist/main.js boots, answers /health/ready 200 and exits 0 on SIGTERM', async () => {
    expect(await publicTables(db.url)).toContain('pipeline_executions');
    const server = startServer(['dist/main.js'], await freePort(), { DATABASE_URL: db.url }, image);
    try {
      expect(await server.waitReady()).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('node dist/main.js validates OpenLineage events with the schemas it ships, and dist/cli.js replays them', async () => {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    const created = node(['dist/cli.js', 'api-keys', 'create', '--name', 'built app', '--scopes', 'ingest', '--json'], env);
    const { key } = JSON.parse(created.stdout.trim().split('\n').pop() as string) as { key: string };
    const port = await freePort();
    const server = startServer(['dist/main.js'], port, { DATABASE_URL: db.url }, image);
    const post = (body: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/v1/lineage`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const run = { runId: '01936f00-0000-7000-8000-0000000b0117', facets: { parent: { _producer: 'https://p', _schemaURL: 'https://s', run: {}, job: { namespace: 'a', name: 'b' } } } };
    const event = { eventType: 'COMPLETE', eventTime: '2026-11-20T10:00:00Z', producer: 'https://p', run, job: { namespace: 'airflow', name: 'built' } };
    try {
      expect(await server.waitReady()).toBe(200);
      // The parent facet's schema (a file under dist/src/lineage/openlineage) refuses a parent run without runId.
      expect((await post(event)).status).toBe(400);
      expect((await post({ ...event, run: { runId: run.runId } })).status).toBe(201);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const replay = node(['dist/cli.js', 'lineage', 'replay'], env);
    expect(replay.stdout).toMatch(/replayed 1 event\(s\) in \d+ ms: 1 applied, 0 late, 0 stored; 1 execution\(s\) rebuilt/);
    expect(replay.status).toBe(0);
  });
});
