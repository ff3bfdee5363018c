import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CompiledQuery, sql } from 'kysely';
import { runCompiled, queries } from '../../../src/database/typed-sql.js';
import { defaultRunFailedApplies, effectiveDefault, listDefaults } from '../../../src/monitors/monitor-defaults.sql.js';
import { listMonitors, pipelineReportsProgress, selectMonitor, type MonitorFilters } from '../../../src/monitors/monitors.sql.js';
import { useOrmDatabase } from '../../support/orm.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const seqScans = (node: PlanNode): string[] => [...(node['Node Type'] === 'Seq Scan' ? [node['Relation Name'] ?? '?'] : []), ...(node.Plans ?? []).flatMap(seqScans)];

/** Every query the monitors API issues, on 50,000 monitors and 100,000 runs: each must be served by an index. */
describe('query plans of the monitors API', () => {
  const t = useOrmDatabase();
  let orm: MikroORM;
  let someId = '';

  const plan = async (query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<PlanNode> => {
    const { sql: text, parameters } = query.compile();
    const [row] = await runCompiled(orm.em, CompiledQuery.raw(`explain (format json) ${text}`, [...parameters]) as CompiledQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>);
    return row['QUERY PLAN'][0].Plan;
  };

  beforeAll(async () => {
    orm = t.orm;
    const conn = orm.em.getConnection();
    // 5,000 pipelines, 10 monitors each of the four kinds; one in ten disabled (a history that grows).
    await conn.execute(`
      insert into monitors (id, name, pipeline_name, kind, severity, params, enabled, disabled_at)
      select gen_random_uuid(), case when i % 7 = 0 then 'm' || i end, 'pipe_' || (i % 5000),
             (array['run_failed', 'freshness', 'duration', 'stalled'])[1 + i % 4], 'warning', '{}', i % 10 <> 0,
             case when i % 10 = 0 then now() end
      from generate_series(1, 50000) i`);
    await conn.execute(`
      insert into pipeline_executions (execution_id, pipeline_name, status, started_at)
      select gen_random_uuid(), 'pipe_' || (i % 5000), 'running', now() - i * interval '1 minute' from generate_series(1, 100000) i`);
    await conn.execute(`
      insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
      select gen_random_uuid(), execution_id, 'create', started_at, '{}' from pipeline_executions`);
    await conn.execute(`
      insert into monitor_defaults (scope, name, run_failed_enabled)
      select case when i % 2 = 0 then 'pipeline' else 'namespace' end, 'pipe_' || i, i % 3 = 0 from generate_series(1, 2000) i`);
    // 5,000 data monitors on 1,000 datasets.
    await conn.execute(`
      insert into monitors (id, pipeline_name, dataset_namespace, dataset_name, kind, severity, params, enabled)
      select gen_random_uuid(), null, 'postgres://db', 'public.t' || (i % 1000), 'metric_threshold', 'warning', '{"metric_type": "row_count", "max": 1}', true
      from generate_series(1, 5000) i`);
    await conn.execute('analyze monitors, pipeline_executions, pipeline_execution_events, monitor_defaults');
    someId = (await conn.execute<{ id: string }[]>('select id from monitors order by id offset 20000 limit 1'))[0].id;
  }, 120_000);

  const LISTINGS: [string, Omit<MonitorFilters, 'afterId'>][] = [
    ['enabled monitors', { enabled: true }],
    ['disabled monitors', { enabled: false }],
    ['by pipeline', { enabled: true, pipelineName: 'pipe_42' }],
    ['by kind', { enabled: true, kind: 'stalled' }],
    ['by pipeline and kind', { enabled: true, pipelineName: 'pipe_42', kind: 'duration' }],
    ['by dataset', { enabled: true, dataset: { namespace: 'postgres://db', name: 'public.t42' } }],
  ];

  it.each(LISTINGS)('listing %s: no sequential scan, first page and a cursor page', async (_, filters) => {
    for (const page of [filters, { ...filters, afterId: someId }]) expect(seqScans(await plan(listMonitors(page, 101)))).toEqual([]);
  });

  it('one monitor, the stalled check, the switches and the default: no sequential scan', async () => {
    expect(seqScans(await plan(selectMonitor(someId)))).toEqual([]);
    expect(seqScans(await plan(pipelineReportsProgress('pipe_42')))).toEqual([]);
    expect(seqScans(await plan(effectiveDefault('pipe_42/job', true)))).toEqual([]);
    expect(seqScans(await plan(queries.selectNoFrom(defaultRunFailedApplies(sql.val('pipe_7'), true).as('a'))))).toEqual([]);
  });

  it('the list of switches, first page and a cursor page: a range of the primary key, no sequential scan', async () => {
    for (const after of [undefined, { scope: 'namespace', name: 'ns_500' }]) expect(seqScans(await plan(listDefaults(after, 101)))).toEqual([]);
  });

  it('(the check itself sees a sequential scan where there is one)', async () => {
    expect(seqScans(await plan(queries.selectFrom('monitors').select('id').where('resolve_after', '=', 3)))).toEqual(['monitors']);
  });
});
