import { beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { listEvents, listExecutions, type ListFilters } from '../../../src/audit/executions.sql.js';
import { LOCK_PARENT_ROOT } from '../../../src/audit/run-reports.sql.js';
import type { ExecutionSort } from '../../../src/audit/dto/list-executions.query.js';
import { CompiledQuery } from 'kysely';
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

const ROWS = 200_000;
/** md5('dag run 7') as a UUID: the parent of 20 of the generated runs. */
const PARENT = 'ac92767a-145b-9b66-2085-cfee4d11ecb7';

/** Every listing query the API issues, on 200,000 executions: each must be served by an index. */
describe('query plans of the audit API', () => {
  const t = useOrmDatabase();
  let orm: MikroORM;
  let anchor = '';
  let lastId = '';

  /** The plan PostgreSQL makes for the statement as the API sends it: same text, same bound values. */
  async function plan(sql: string, params: readonly unknown[]): Promise<PlanNode> {
    const [row] = await runCompiled(orm.em, CompiledQuery.raw(`explain (format json) ${sql}`, [...params]) as CompiledQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>);
    return row['QUERY PLAN'][0].Plan;
  }

  beforeAll(async () => {
    orm = t.orm;
    const started = Date.now();
    // 200 pipelines of skewed sizes, 30 days of history, mostly successes; generated in SQL.
    await orm.em.getConnection().execute(`
      insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, error_details, input_file, row_counts, parent_execution_id)
      select gen_random_uuid(), 'pipe_' || floor(200 * power(random(), 2))::int, s.status, s.started_at,
             case when s.status in ('pending', 'running') then null else s.started_at + interval '5 minutes' end,
             case when s.status = 'failed' then 'boom' end,
             'file_' || (i % 1000) || '.csv', jsonb_build_object('read', i),
             -- One run in five is a task of one of 2,000 DAG runs, as OpenLineage's parent facet reports.
             case when i % 5 = 0 then md5('dag run ' || ((i / 5) % 2000))::uuid end
      from generate_series(1, ${ROWS}) i
      cross join lateral (
        select now() - (i * interval '13 seconds') as started_at,
               (case when random() < 0.9 then 'succeeded' when random() < 0.6 then 'failed'
                     when random() < 0.5 then 'cancelled' when random() < 0.5 then 'running' else 'pending' end) as status
        offset 0
      ) s`);
    // And a history: a create event per run, plus progress events for one run in ten.
    await orm.em.getConnection().execute(`
      insert into pipeline_execution_events (event_id, execution_id, type, occurred_at, payload)
      select gen_random_uuid(), execution_id, 'create', started_at, '{}'::jsonb from pipeline_executions
      union all
      select gen_random_uuid(), execution_id, 'progress', started_at + interval '1 minute', '{}'::jsonb
      from pipeline_executions where random() < 0.1`);
    await orm.em.getConnection().execute('analyze pipeline_executions, pipeline_execution_events');
    console.log(`generated ${ROWS} executions in ${Date.now() - started} ms`);
    const [row] = await orm.em.getConnection().execute<{ t: string; id: string }[]>(
      `select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t, execution_id as id
       from pipeline_executions order by started_at desc, execution_id desc offset 5000 limit 1`,
    );
    anchor = row.t;
    lastId = row.id;
  }, 120_000);

  const after = () => ({ startedAt: anchor, id: lastId });
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

  const LISTINGS: [string, ListFilters, ExecutionSort][] = [
    ['all runs, newest first', {}, '-started_at'],
    ['all runs, oldest first', {}, 'started_at'],
    ['by pipeline', { pipelineName: 'pipe_7' }, '-started_at'],
    ['by status', { statuses: ['failed'] }, '-started_at'],
    ['by several statuses', { statuses: ['failed', 'cancelled'] }, '-started_at'],
    ['by time range', { startedAfter: day(10), startedBefore: day(9) }, '-started_at'],
    ['by pipeline and time range', { pipelineName: 'pipe_3', startedAfter: day(20), startedBefore: day(5) }, 'started_at'],
    ['by status and pipeline', { pipelineName: 'pipe_1', statuses: ['running'] }, '-started_at'],
    ['by input file', { inputFile: 'file_42.csv' }, '-started_at'],
    ['by an input file nobody read', { inputFile: 'nope.csv' }, '-started_at'],
    ['with errors', { hasError: true }, '-started_at'],
    ['children of a parent run', { parentExecutionId: PARENT }, 'started_at'],
    ['children of a parent run, newest first', { parentExecutionId: PARENT }, '-started_at'],
    ['children of a parent run by status', { parentExecutionId: PARENT, statuses: ['failed', 'running'] }, '-started_at'],
    ['children of a run that has none', { parentExecutionId: '00000000-0000-7000-8000-000000000000' }, '-started_at'],
    ['without errors', { hasError: false }, 'started_at'],
  ];

  it.each(LISTINGS)('listing %s: no sequential scan, first page and a cursor page', async (_, filters, sort) => {
    for (const page of [filters, { ...filters, after: after() }]) {
      const { sql, parameters } = listExecutions(page, sort, 50).compile();
      expect(seqScans(await plan(sql, parameters))).toEqual([]);
    }
  });

  it('(the check itself sees a sequential scan where there is one)', async () => {
    expect(seqScans(await plan('select * from pipeline_executions where attempt = $1', [3]))).toEqual(['pipeline_executions']);
  });

  it('the history of an execution: no sequential scan', async () => {
    const { sql, parameters } = listEvents(lastId, 100).compile();
    expect(seqScans(await plan(sql, parameters))).toEqual([]);
  });

  it("an OpenLineage report's cycle check, the walk up to its parent's root (both forms): no sequential scan", async () => {
    for (const wait of [true, false]) {
      const statement = LOCK_PARENT_ROOT({ wait });
      expect(seqScans(await plan(statement.sql, statement.values({ id: lastId, parentId: PARENT })))).toEqual([]);
    }
  });
});
