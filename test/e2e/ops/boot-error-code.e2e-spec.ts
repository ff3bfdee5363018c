import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { logLines } from '../../support/logs.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { spawnNode } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

const [INITIAL] = COMMITTED_MIGRATIONS;

/** The built entry point, to its exit: what an orchestrator sees of a replica that cannot start. */
async function run(args: string[], env: Record<string, string>) {
  const child = spawnNode(args, { PORT: '0', HOST: '127.0.0.1', ...env });
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

describe('one error code everywhere: boot logs the code the command line prints', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    if (!existsSync('dist/main.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    db = await createTestDatabase(); // migrated to head
    // The first migration's file no longer matches what was applied.
    await sql(db.url, `update migration_checksums set checksum = 'edited-since' where name = '${INITIAL}'`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('an applied migration that changed: DATABASE.MIGRATION_CHANGED from `migrate up` and on boot\'s fatal line, as a field and in the message', async () => {
    const cli = await run(['dist/cli.js', 'migrate', 'up'], { DATABASE_URL: db.url });
    expect(cli.code).toBe(3);
    expect(cli.stderr).toContain(`DATABASE.MIGRATION_CHANGED: migration history problem: ${INITIAL} is changed since it was applied`);

    const boot = await run(['dist/main.js'], { DATABASE_URL: db.url, MIGRATIONS_ON_BOOT: 'check' });
    expect(boot.code).toBe(1);
    const fatal = logLines(boot.stdout).find((line) => line.level === 'fatal');
    expect(fatal).toMatchObject({ code: 'DATABASE.MIGRATION_CHANGED', msg: expect.stringContaining(`DATABASE.MIGRATION_CHANGED: migration history problem: ${INITIAL}`) });
  });

  it('an unreachable database: DATABASE.UNAVAILABLE on boot\'s fatal line too', async () => {
    const boot = await run(['dist/main.js'], { DATABASE_URL: 'postgres://ledger@127.0.0.1:1/test_nowhere', DB_BOOT_RETRY_MS: '0' });
    expect(boot.code).toBe(1);
    expect(logLines(boot.stdout).find((line) => line.level === 'fatal')).toMatchObject({ code: 'DATABASE.UNAVAILABLE' });
  });
});
