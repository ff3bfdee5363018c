import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, rmSync } from 'node:fs';
import { copyMigrations } from '../../support/migration-copies.js';
import { COMMITTED_MIGRATIONS } from '../../support/migrations.js';
import { runTs } from '../../support/spawn.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

// The root mikro-orm.config.ts with no DATABASE_URL and no embedded database (runTs gives each run an empty
// DATA_DIR and no DATABASE_URL): what needs no database works, and a caller's own clientUrl is used.

const CLI = 'node_modules/@mikro-orm/cli/cli.js';

describe('the root mikro-orm config without DATABASE_URL', () => {
  let db: TestDatabase;
  let dir = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = copyMigrations('migrations', 'no-url');
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npx mikro-orm migration:check compares the entities with the snapshot and passes', async () => {
    const run = await runTs(CLI, ['migration:check'], {}, 60_000);
    expect(run.output).not.toContain('DATABASE_URL');
    expect(run.output).toContain('No changes required, schema is up-to-date');
    expect(run.code).toBe(0);
  });

  it('npx mikro-orm migration:create generates from the snapshot', async () => {
    const args = ['migration:create', '--config', 'test/fixtures/generator/mikro-orm.config.ts', '--name', 'add_owner'];
    const run = await runTs(CLI, args, { MIGRATIONS_DIR: dir }, 60_000);
    expect(run.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('add_owner'))).toHaveLength(2);
  });

  it('the factory gives options that a caller completes with its own clientUrl (the test kit\'s recipe)', async () => {
    const run = await runTs('test/fixtures/config-without-url/applied-through-client-url.ts', [db.url], {}, 60_000);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.output.trim().split('\n').pop() as string)).toEqual(COMMITTED_MIGRATIONS);
  });
});
