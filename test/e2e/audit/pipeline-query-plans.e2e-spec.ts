import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { pipelineListing, type PipelineListShape } from '../../../src/audit/pipelines.sql.js';
import { runCompiled } from '../../../src/database/typed-sql.js';
import { useOrmDatabase } from '../../support/orm.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode): string[] {
  const here = node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScans)];
}

const PIPELINES = 5_000;
const RUNS = 200_000;

/** The pipelines list and the one-pipeline read on 5,000 pipelines and 200,000 runs: every shape served by indexes. */
describe('query plans of the pipelines registry', () => {
  const t = useOrmDatabase();
  let orm: MikroORM;

  async function plan(sql: string, params: readonly unknown[]): Promise<PlanNode> {
    const [row] = await runCompiled(orm.em, CompiledQuery.raw(`explain (format json) ${sql}`, [...params]) as CompiledQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>);
    return row['QUERY PLAN'][0].Plan;
  }

  beforeAll(async () => {
    orm = t.orm;
    await orm.em.getConnection().execute(`
      insert into pipelines (name, owner, team, tags, schedule_every, archived_at)
      select 'pipe_' || lpad(i::text, 5, '0'), 'owner_' || (i % 100), 'team_' || (i % 20), array['t' || (i % 50)],
             case when i % 2 = 0 then interval '1 hour' end, case when i % 10 = 0 then now() end
      from generate_series(1, ${PIPELINES}) i`);
    await orm.em.getConnection().execute(`
      insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at)
      select gen_random_uuid(), 'pipe_' || lpad((1 + i % ${PIPELINES})::text, 5, '0'), s.status, s.started_at,
             case when s.status <> 'running' then s.started_at + interval '1 minute' end
      from generate_series(1, ${RUNS}) i
      cross join lateral (select now() - i * interval '1 minute' as started_at,
        case when i % 97 = 0 then 'failed' when i < 200 then 'running' else 'succeeded' end as status offset 0) s`);
    await orm.em.getConnection().execute('analyze pipelines, pipeline_executions');
  }, 120_000);

  const none: PipelineListShape = { one: false, owner: false, team: false, tag: false, q: false, archived: 'false', health: null, after: false };
  const SHAPES: [string, Partial<PipelineListShape>][] = [
    ['the default list', {}],
    ['a cursor page', { after: true }],
    ['archived=all, a cursor page', { archived: 'all', after: true }],
    ['archived=true', { archived: 'true' }],
    ['by owner', { owner: true }],
    ['by team, a cursor page', { team: true, after: true }],
    ['by tag', { tag: true }],
    ['by name prefix', { q: true }],
    ...(['healthy', 'failing', 'late', 'running', 'unknown'] as const).map((health): [string, Partial<PipelineListShape>] => [`health=${health}`, { health }]),
    ['one pipeline', { one: true, archived: 'all' }],
  ];

  it.each(SHAPES)('%s: no sequential scan', async (_, shape) => {
    const values = { name: 'pipe_00042', owner: 'owner_7', team: 'team_3', tag: 't9', pattern: 'pipe_001%', after: 'pipe_02500', fetch: 51, window: '7 days', now: new Date().toISOString() };
    const statement = pipelineListing({ ...none, ...shape });
    expect(seqScans(await plan(statement.sql, statement.values(values)))).toEqual([]);
  });
});
