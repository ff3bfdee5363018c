import { beforeAll, describe, expect, it } from '@jest/globals';
import { CompiledQuery } from 'kysely';
import { runCompiled } from '../../../src/database/typed-sql.js';
import { CLAIM_KEY, FORGET_EXPIRED_KEY, STORE_RESPONSE, STORED_RESPONSE, SWEEP_EXPIRED_KEYS } from '../../../src/idempotency/idempotency.sql.js';
import { useOrmDatabase } from '../../support/orm.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

const ROWS = 100_000;

/**
 * The statements of an idempotent write, on 100,000 keys of 50 API keys that often share a key: each
 * finds its row through the primary key (api_key_id, scope, key), never by scanning the table.
 */
describe('query plans of the idempotency keys', () => {
  const t = useOrmDatabase();
  const plan = async <P>(statement: { sql: string; values: (p: P) => unknown[] }, p: P) =>
    (await runCompiled<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(t.orm.em, CompiledQuery.raw(`explain (format json) ${statement.sql}`, statement.values(p))))[0]['QUERY PLAN'][0].Plan;

  beforeAll(async () => {
    await t.orm.em.getConnection().execute(`
      insert into idempotency_keys (api_key_id, scope, key, request_hash, response_status, response_body, created_at)
      select ('00000000-0000-7000-8000-' || lpad((i % 50)::text, 12, '0'))::uuid, (array['POST /v1/metrics', 'POST /v1/metrics/batch'])[1 + (i / 50) % 2],
             'key-' || (i / 100), md5(i::text), 201, '{}'::jsonb, now() - (i * interval '1 second')
      from generate_series(1, ${ROWS}) i`);
    await t.orm.em.getConnection().execute('analyze idempotency_keys');
  }, 120_000);

  const key = { apiKeyId: '00000000-0000-7000-8000-000000000007', scope: 'POST /v1/metrics', key: 'key-7' };

  it.each([
    ['forgetting an expired key', () => plan(FORGET_EXPIRED_KEY, key)],
    ['reading the stored response', () => plan(STORED_RESPONSE, key)],
    ['storing the response', () => plan(STORE_RESPONSE, { ...key, status: 201, body: '{}' })],
  ])('%s: one probe of the primary key', async (_, explain) => {
    const all = nodes(await explain());
    expect(all.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(all.filter((n) => n['Relation Name'] === 'idempotency_keys' && n['Node Type'] !== 'ModifyTable').map((n) => n['Index Name'])).toEqual(['idempotency_keys_pkey']);
  });

  it('claiming a key: an insert whose conflict is the primary key', async () => {
    const all = nodes(await plan(CLAIM_KEY, { ...key, requestHash: 'x' }));
    expect(all.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(all[0]['Node Type']).toBe('ModifyTable');
  });

  it('the sweep: by age, through idempotency_keys_created_idx', async () => {
    const all = nodes(await plan(SWEEP_EXPIRED_KEYS, {}));
    expect(all.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(all.some((n) => n['Index Name'] === 'idempotency_keys_created_idx')).toBe(true);
  });
});
