import { afterAll, beforeEach, expect } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTs, type RunResult } from './spawn.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * A copy of a migrations folder (the committed one or a fixture history) in a new folder under test/.tmp:
 * inside the repository, so that the copies resolve @mikro-orm/migrations. The caller removes it.
 */
export function copyMigrations(from: string, name: string): string {
  mkdirSync(join('test', '.tmp'), { recursive: true });
  const dir = mkdtempSync(join('test', '.tmp', `${name}-`));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** The current test's copy of the history, its database, and the CLI pointed at both. */
export interface MigratedCopy {
  readonly dir: string;
  readonly db: TestDatabase;
  /** DATABASE_URL and MIGRATIONS_DIR of this test, with `extra` on top. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** `src/cli.ts migrate <args>` on this test's database and copy. */
  migrate(args: string[], extra?: Record<string, string>): Promise<RunResult>;
}

/**
 * For suites whose every test starts from a fixture history applied to an empty database of its own: before
 * each test, a fresh copy of `fixtures`, a fresh empty database and `migrate up` there (a suite's own
 * beforeEach, registered after this call, runs after it); all are dropped and removed after the suite.
 */
export function useMigratedCopies(fixtures: string, name: string): MigratedCopy {
  const dbs: TestDatabase[] = [];
  const dirs: string[] = [];
  let current: { dir: string; db: TestDatabase } | undefined;
  const now = () => {
    if (!current) throw new Error('useMigratedCopies: read inside a test, after its beforeEach');
    return current;
  };
  const copy: MigratedCopy = {
    get dir() {
      return now().dir;
    },
    get db() {
      return now().db;
    },
    // A fixture history has none of the app's migrations, the job library's schema included: a service
    // booted on it runs without jobs (JOBS_ENABLED=false), as it would refuse to start them.
    env: (extra = {}) => ({ DATABASE_URL: now().db.url, MIGRATIONS_DIR: now().dir, JOBS_ENABLED: 'false', ...extra }),
    migrate: (args, extra = {}) => runTs('src/cli.ts', ['migrate', ...args], copy.env(extra)),
  };

  beforeEach(async () => {
    const dir = copyMigrations(fixtures, name);
    dirs.push(dir);
    const db = await createTestDatabase({ empty: true });
    dbs.push(db);
    current = { dir, db };
    expect((await copy.migrate(['up'])).code).toBe(0);
  });

  afterAll(async () => {
    for (const db of dbs) await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return copy;
}
