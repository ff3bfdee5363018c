import { describe, expect, it } from '@jest/globals';
import { listExecutions } from './executions.sql.js';

describe('listExecutions', () => {
  it('binds every filter as a parameter, in order, and fetches one row more than the page', () => {
    const { sql, parameters } = listExecutions(
      { pipelineName: 'p', statuses: ['failed'], startedAfter: 'a', startedBefore: 'b', hasError: true, inputFile: 'f' },
      '-started_at',
      50,
    ).compile();
    expect(parameters).toEqual(['p', ['failed'], 'a', 'b', 'f', 51]);
    expect(sql).toContain(
      '"pipeline_executions"."pipeline_name" = $1 and "pipeline_executions"."status" = any($2::text[]) and "pipeline_executions"."started_at" >= $3::timestamptz',
    );
    expect(sql).toContain('"pipeline_executions"."error_details" is not null');
    expect(sql).toMatch(/order by "pipeline_executions"\."started_at" desc, "pipeline_executions"\."execution_id" desc limit \$6$/);
  });

  it('continues after the cursor in the direction of the sort', () => {
    const after = { startedAt: '2026-11-21T00:00:00.000000Z', id: '0190a1b2-0000-7000-8000-000000000001' };
    const desc = listExecutions({ after }, '-started_at', 10).compile();
    expect(desc.sql).toContain('("pipeline_executions"."started_at", "pipeline_executions"."execution_id") < ($1::timestamptz, $2::uuid)');
    expect(desc.parameters).toEqual([after.startedAt, after.id, 11]);
    const asc = listExecutions({ after }, 'started_at', 10).compile();
    expect(asc.sql).toContain('("pipeline_executions"."started_at", "pipeline_executions"."execution_id") > ($1::timestamptz, $2::uuid)');
    expect(asc.sql).toMatch(/order by "pipeline_executions"\."started_at" asc, "pipeline_executions"\."execution_id" asc limit \$3$/);
  });

  it('has no WHERE clause without filters', () => {
    expect(listExecutions({}, '-started_at', 50).compile().sql).not.toContain('where');
  });
});
