import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import config from '../../../mikro-orm.config.js';
import type { MigrationKitOptions } from '../../kit/kit-options.js';
import { describeMigration, describeMigrationKit } from '../../kit/migration-test-kit.js';
import { mikroOrmRunner } from '../../kit/mikro-orm-runner.js';

// A server the kit may create databases on (this project's e2e setup provides one in PL_TEST_ADMIN_URL).
const ADMIN = process.env.PL_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlFor = (db: string) => Object.assign(new URL(ADMIN), { pathname: `/${db}` }).toString();
async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

// Your ORM options (mikro-orm.config.ts exports a factory), pointed at the kit's database.
const openOrm = (url: string, verbose = false) => MikroORM.init({ ...config(), clientUrl: url, debug: verbose });

const kit: MigrationKitOptions = {
  name: 'pipeline-ledger',
  // An EMPTY database per check; the kit drops it when the check ends.
  createDatabase: async () => {
    const name = `kit_${randomBytes(4).toString('hex')}`;
    await query(ADMIN, `create database "${name}" template template0`);
    return { url: urlFor(name), drop: async () => void (await query(ADMIN, `drop database "${name}" with (force)`)) };
  },
  // MikroORM's migrator; a project with its own runner returns { pending, applied, up, down, close }.
  openRunner: async (url, { verbose }) => mikroOrmRunner(await openOrm(url, verbose)),
  // The tracking table, and this project's checksums beside it.
  bookkeepingTables: ['mikro_orm_migrations', 'migration_checksums'],
  // Schemas the migrations build besides public (this project's job library installs pgboss).
  schemas: ['public', 'pgboss'],
  migrationsDir: 'migrations',
  dataSurvival: [
    {
      name: 'an API key written when the table was new',
      at: '20261122_112335_create_api_keys', // the rows are written right after this migration
      write: async (url) =>
        void (await query(url, `insert into api_keys (id, name, prefix, hash, scopes) values ('00000000-0000-7000-8000-000000000001', 'ci', 'pl_ci', 'h', '{read}')`)),
      // Every column at head: the old values unchanged, the others at their defaults.
      verify: async (url) =>
        expect(await query(url, 'select * from api_keys')).toEqual([
          { id: '00000000-0000-7000-8000-000000000001', name: 'ci', prefix: 'pl_ci', hash: 'h', scopes: ['read'], created_at: expect.any(Date), last_used_at: null, revoked_at: null },
        ]),
    },
  ],
  entitiesMatch: async (url) => {
    const orm = await openOrm(url);
    try {
      return await orm.schema.getUpdateSchemaSQL({ wrap: false });
    } finally {
      await orm.close(true);
    }
  },
};

describeMigrationKit(kit);

// One migration on its own: everything before it applied, the rows written, then its up, down and up again.
describeMigration(kit, '20261122_115753_index_executions_by_parent', [
  {
    name: 'a child run',
    write: async (url) =>
      void (await query(url, `insert into pipeline_executions (execution_id, pipeline_name, started_at, parent_execution_id) values ('00000000-0000-7000-8000-000000000002', 'load', now(), '00000000-0000-7000-8000-000000000003')`)),
    // Read at the migration's version, after its up and after its down and up again.
    verify: async (url) =>
      expect(await query(url, 'select execution_id, parent_execution_id from pipeline_executions')).toEqual([
        { execution_id: '00000000-0000-7000-8000-000000000002', parent_execution_id: '00000000-0000-7000-8000-000000000003' },
      ]),
  },
]);
