import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e suites through jest with test/jest-e2e.config.js`);
  return value;
}

export function adminUrl(): URL {
  return new URL(env('PL_TEST_ADMIN_URL'));
}

export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl().toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function urlFor(database: string): string {
  const url = adminUrl();
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A database of this test file's own: cloned from the migrated template (the default), or empty for
 * the migration suites. Its name carries the run's test prefix, so teardown finds any leftovers.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `${env('PL_TEST_PREFIX')}_${randomBytes(4).toString('hex')}`;
  const source = options.empty ? 'template0' : env('PL_TEST_TEMPLATE');
  await withAdmin(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${source}"`);
        return;
      } catch (error) {
        // 55006: another clone from the same template is starting at this instant; try again shortly.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    drop: () => withAdmin(async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
  };
}

/** One statement on its own connection: for arranging and inspecting a database from outside the app. */
export async function sql<T extends pg.QueryResultRow>(url: string, statement: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(statement)).rows;
  } finally {
    await client.end();
  }
}

export async function publicTables(url: string): Promise<string[]> {
  const rows = await sql<{ t: string }>(url, `select tablename as t from pg_tables where schemaname = 'public' order by 1`);
  return rows.map((r) => r.t);
}
