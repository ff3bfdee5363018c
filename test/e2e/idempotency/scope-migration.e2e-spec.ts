import { describe, expect, it } from '@jest/globals';
import { NO_API_KEY } from '../../../src/idempotency/idempotency-key.entity.js';
import { useOrmDatabase } from '../../support/orm.js';
import { sql } from '../../support/test-database.js';

const BEFORE = '20261122_155418_add_metric_hours_rollup';
const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';

const primaryKey = async (url: string) =>
  (await sql<{ def: string }>(url, `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'idempotency_keys_pkey'`))[0].def;
const rows = (url: string) => sql(url, `select api_key_id, scope, key, request_hash from idempotency_keys order by scope, key, request_hash`);

/** What the migrations that scope idempotency keys per API key do to the rows already there, up and down. */
describe('migrating idempotency keys to per-API-key scope', () => {
  const t = useOrmDatabase();

  it('up: existing rows belong to no API key (the nil UUID); down: one row per (scope, key), the oldest', async () => {
    await t.migrations.down(BEFORE);
    expect(await primaryKey(t.db.url)).toBe('PRIMARY KEY (scope, key)');
    await sql(t.db.url, `insert into idempotency_keys (scope, key, request_hash) values ('POST /v1/metrics', 'old', 'h-old')`);

    await t.migrations.up();
    expect(await primaryKey(t.db.url)).toBe('PRIMARY KEY (api_key_id, scope, key)');
    expect(await rows(t.db.url)).toEqual([{ api_key_id: NO_API_KEY, scope: 'POST /v1/metrics', key: 'old', request_hash: 'h-old' }]);

    // Two API keys chose the same key on one route (B first); A also used it on another route.
    await sql(t.db.url, `insert into idempotency_keys (api_key_id, scope, key, request_hash, created_at) values
      ('${B}', 'POST /v1/metrics', 'shared', 'h-b', now() - interval '2 minutes'),
      ('${A}', 'POST /v1/metrics', 'shared', 'h-a', now() - interval '1 minute'),
      ('${A}', 'POST /v1/metrics/batch', 'shared', 'h-a-batch', now())`);

    await t.migrations.down(BEFORE);
    expect(await primaryKey(t.db.url)).toBe('PRIMARY KEY (scope, key)');
    expect(await sql(t.db.url, `select scope, key, request_hash from idempotency_keys order by scope, key, request_hash`)).toEqual([
      { scope: 'POST /v1/metrics', key: 'old', request_hash: 'h-old' },
      { scope: 'POST /v1/metrics', key: 'shared', request_hash: 'h-b' },
      { scope: 'POST /v1/metrics/batch', key: 'shared', request_hash: 'h-a-batch' },
    ]);

    await t.migrations.up();
    expect(await primaryKey(t.db.url)).toBe('PRIMARY KEY (api_key_id, scope, key)');
  });
});
