import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/disposable-postgres.js';
import { LATEST_MIGRATION } from '../../support/migrations.js';
import { spawnNode } from '../../support/spawn.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

// The built command line (`npm run build` first), as a deploy pipeline or a script runs it.
const SECRET = 'n0t-f0r-0utput-9c1e';
const cli = async (args: string[], env: Record<string, string>) => {
  const run = spawnNode(['dist/cli.js', ...args], env);
  const { code, ms } = await run.exited;
  return { code, ms, stdout: run.stdout(), stderr: run.stderr() };
};

describe('the command line: output on stdout, logs on stderr', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    db = await createTestDatabase(); // migrated to head
  });

  afterAll(async () => {
    await db?.drop();
  });

  // LOG_LEVEL=info: the progress lines are written (on stderr), not merely switched off.
  it('drift --json: the whole of stdout is one JSON report, the rebuild\'s progress is on stderr', async () => {
    const run = await cli(['migrate', 'drift', '--json'], { DATABASE_URL: db.url, LOG_LEVEL: 'info' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ appliedThrough: LATEST_MIGRATION, differences: [] });
    expect(run.stderr).toContain(`Migrator: applied ${LATEST_MIGRATION}`);
    expect(run.stderr).toMatch(/Drift: rebuilding the applied migrations/);
  });

  it.each([
    [['migrate', 'status', '--json'], (out: { pending: string[] }) => expect(out.pending).toEqual([])],
    [['migrate', 'lint', '--json'], (out: { findings: unknown[] }) => expect(out.findings).toEqual(expect.any(Array))],
    [['api-keys', 'create', '--name', 'ci', '--scopes', 'read', '--json'], (out: { key: string }) => expect(out.key).toEqual(expect.any(String))],
    [['api-keys', 'list', '--json'], (out: unknown) => expect(out).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ci' })]))],
  ] as const)('%j: the whole of stdout parses as JSON', async (args, check) => {
    const run = await cli([...args], { DATABASE_URL: db.url, LOG_LEVEL: 'debug' });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    (check as (out: unknown) => void)(JSON.parse(run.stdout));
  });
});

describe('the command line and an unreachable database', () => {
  let silent: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers, like a firewalled or frozen server: only a timeout ends the wait.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a refused connection: exit 1 at once, naming host and port, never the password', async () => {
    const port = await freePort();
    const run = await cli(['migrate', 'status'], { DATABASE_URL: `postgres://ledger:${SECRET}@127.0.0.1:${port}/test_nowhere`, DB_CONNECT_TIMEOUT_MS: '1000' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DATABASE.UNAVAILABLE: PostgreSQL at 127.0.0.1:${port}/test_nowhere is unreachable`);
    expect(run.stderr).toContain('DB_CONNECT_TIMEOUT_MS');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    // Start-up and the wait, with room for a loaded machine; DB_BOOT_RETRY_MS's default would be 30 s.
    expect(run.ms).toBeLessThan(10_000);
  });

  it('a server that never answers: exit 1 within DB_CONNECT_TIMEOUT_MS (and start-up), not after DB_BOOT_RETRY_MS', async () => {
    const port = (silent.address() as { port: number }).port;
    const run = await cli(['migrate', 'status'], { DATABASE_URL: `postgres://ledger:${SECRET}@127.0.0.1:${port}/test_silent`, DB_CONNECT_TIMEOUT_MS: '1000' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`PostgreSQL at 127.0.0.1:${port}/test_silent is unreachable`);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.ms).toBeLessThan(10_000);
  });
});

describe('what a migrate command loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-census-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The modules `node dist/cli.js <args>` loaded (it fails on the closed port after loading them: that is enough). */
  const census = async (args: string[]) => {
    const file = join(dir, args.join('-'));
    const run = spawnNode(['--import', './test/support/module-census.mjs', 'dist/cli.js', ...args], {
      MODULE_CENSUS: file,
      DATABASE_URL: `postgres://ledger@127.0.0.1:${await freePort()}/test_nowhere`,
      DB_CONNECT_TIMEOUT_MS: '100',
    });
    await run.exited;
    return readFileSync(file, 'utf8').split('\n');
  };

  it.each([[['migrate', 'status']], [['migrate', 'lint']], [['migrate', 'drift']]])('%j loads the ORM and the migrator, not Nest\'s application, the HTTP stack or a feature module', async (args) => {
    const loaded = await census(args);
    expect(loaded.filter((url) => url.includes('/@mikro-orm/core/')).length).toBeGreaterThan(0);
    for (const absent of ['/@nestjs/core/', '/@nestjs/platform-fastify/', '/fastify/', '/rxjs/', '/dist/src/app.module.js', '/dist/src/http/', '/dist/src/audit/audit.module.js', '/dist/src/lineage/lineage.module.js', '/dist/src/quality/quality.module.js']) {
      expect(loaded.filter((url) => url.includes(absent))).toEqual([]);
    }
  });
});
