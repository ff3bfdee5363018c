import { describe, expect, it } from '@jest/globals';
import { listExecutionsSql } from './executions.queries.js';

describe('listExecutionsSql', () => {
  it('binds every filter as a parameter, in order, and fetches one row more than the page', () => {
    const { sql, params } = listExecutionsSql(
      { pipelineName: 'p', statuses: ['failed'], startedAfter: 'a', startedBefore: 'b', hasError: true, inputFile: 'f' },
      '-started_at',
      50,
    );
    expect(params).toEqual(['p', ['failed'], 'a', 'b', 'f']);
    expect(sql).toContain('e.pipeline_name = ? and e.status = any(?::text[]) and e.started_at >= ?::timestamptz');
    expect(sql).toContain('e.error_details is not null');
    expect(sql).toMatch(/order by e\.started_at desc, e\.execution_id desc limit 51$/);
  });

  it('continues after the cursor in the direction of the sort', () => {
    const after = { startedAt: '2026-11-21T00:00:00.000000Z', id: '0190a1b2-0000-7000-8000-000000000001' };
    const desc = listExecutionsSql({ after }, '-started_at', 10);
    expect(desc.sql).toContain('(e.started_at, e.execution_id) < (?::timestamptz, ?::uuid)');
    expect(desc.params).toEqual([after.startedAt, after.id]);
    const asc = listExecutionsSql({ after }, 'started_at', 10);
    expect(asc.sql).toContain('(e.started_at, e.execution_id) > (?::timestamptz, ?::uuid)');
    expect(asc.sql).toMatch(/order by e\.started_at asc, e\.execution_id asc limit 11$/);
  });

  it('has no WHERE clause without filters', () => {
    expect(listExecutionsSql({}, '-started_at', 50).sql).not.toContain('where');
  });
});
