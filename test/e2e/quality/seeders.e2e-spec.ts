import { describe, expect, it } from '@jest/globals';
import { DatabaseSeeder } from '../../../seeders/DatabaseSeeder.js';
import { DEMO_DAYS, demoAnchor } from '../../../seeders/demo-data.js';
import { DEMO_PIPELINE_NAMES } from '../../../seeders/demo-problems.js';
import { PipelineExecutionFactory } from '../../../seeders/factories.js';
import { useOrmDatabase } from '../../support/orm.js';
import { sql } from '../../support/test-database.js';

const everyRow = (url: string) =>
  Promise.all([
    sql(url, 'select * from pipeline_executions order by execution_id'),
    sql(url, 'select * from data_quality_metrics order by metric_id'),
    sql(url, 'select * from pipelines order by name'),
    sql(url, 'select * from monitors order by id'),
  ]);

describe('DatabaseSeeder', () => {

  const t = useOrmDatabase();

  it('loads several pipelines, executions in every status and metrics spanning the last 30 days', async () => {
    await t.orm.seeder.seed(DatabaseSeeder);
    const statuses = await sql<{ status: string }>(t.db.url, 'select distinct status from pipeline_executions order by 1');
    expect(statuses.map((r) => r.status)).toEqual(['cancelled', 'failed', 'pending', 'running', 'succeeded']);
    const pipelines = await sql<{ n: number }>(t.db.url, 'select count(distinct pipeline_name)::int as n from pipeline_executions');
    expect(pipelines[0].n).toBe(DEMO_PIPELINE_NAMES.length);
    const [span] = await sql<{ days: number; linked: number; total: number }>(
      t.db.url,
      `select extract(epoch from max(recorded_at) - min(recorded_at)) / 86400 as days,
              count(execution_id)::int as linked, count(*)::int as total from data_quality_metrics`,
    );
    expect(Number(span.days)).toBeGreaterThan(DEMO_DAYS - 2);
    expect(Number(span.days)).toBeLessThanOrEqual(DEMO_DAYS);
    expect(span.linked).toBe(span.total);
    expect(span.total).toBeGreaterThan(1000);
  });

  it('running it twice leaves exactly the same rows, and leaves other pipelines alone', async () => {
    const mine = await new PipelineExecutionFactory(t.orm.em.fork()).createOne({ pipelineName: 'not_a_demo_pipeline' });
    // The demo data is anchored at UTC midnight: seed again first if this test straddles one.
    const day = demoAnchor().getTime();
    await t.orm.seeder.seed(DatabaseSeeder);
    const before = await everyRow(t.db.url);
    await t.orm.seeder.seed(DatabaseSeeder);
    if (demoAnchor().getTime() !== day) return;
    expect(await everyRow(t.db.url)).toEqual(before);
    const kept = await sql(t.db.url, `select execution_id from pipeline_executions where pipeline_name = 'not_a_demo_pipeline'`);
    expect(kept).toEqual([{ execution_id: mine.id }]);
  });
});
