import { afterAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** For suites that need one empty database per test: `fresh()` makes one; all are dropped after the suite. */
export function useEmptyDatabases(): () => Promise<TestDatabase> {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });
  return async () => {
    const db = await createTestDatabase({ empty: true });
    dbs.push(db);
    return db;
  };
}
