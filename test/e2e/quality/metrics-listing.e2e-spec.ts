import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { walkPages } from '../../support/pages.js';
import { http, recordRun } from '../../support/audit-fixtures.js';
import { metric } from '../../support/quality-fixtures.js';

interface Row {
  id: string;
  pipeline: string;
  type: string;
  at: number;
  execution: string | null;
}

describe('GET /v1/metrics: filters and keyset pages', () => {
  const f = useApp();
  const rows: Row[] = [];
  const BASE = Date.parse('2026-11-01T00:00:00Z');

  const walk = (query: Record<string, unknown>) => walkPages(f.t.app, f.contract, '/v1/metrics', 'metric_id', query);

  const expected = (keep: (r: Row) => boolean, asc = false) =>
    rows
      .filter(keep)
      .sort((a, b) => (a.at - b.at || (a.id < b.id ? -1 : 1)) * (asc ? 1 : -1))
      .map((r) => r.id);


  beforeAll(async () => {
    const run = (await recordRun(f.t.app, { pipeline_name: 'a_etl' })).execution_id;
    const input = Array.from({ length: 60 }, (_, i) => ({
      pipeline: i % 2 ? 'a_etl' : 'b_etl',
      type: ['row_count', 'null_rate', 'freshness'][i % 3],
      at: BASE + Math.floor(i / 3) * 60_000,
      execution: i % 5 === 0 ? run : null,
    }));
    const res = await http(f.t.app)
      .post('/v1/metrics/batch')
      .send({
        metrics: input.map((r, i) =>
          metric({ pipeline_name: r.pipeline, metric_type: r.type, metric_value: i, recorded_at: new Date(r.at).toISOString(), ...(r.execution ? { execution_id: r.execution } : {}) }),
        ),
      })
      .expect(201);
    input.forEach((r, i) => rows.push({ ...r, id: res.body.metric_ids[i] }));
  });

  it('walks every metric newest first, and oldest first, exactly once', async () => {
    expect(await walk({ limit: 7 })).toEqual(expected(() => true));
    expect(await walk({ limit: 11, sort: 'recorded_at' })).toEqual(expected(() => true, true));
  });

  it.each([
    ['pipeline_name', { pipeline_name: 'a_etl' }, (r: Row) => r.pipeline === 'a_etl'],
    ['several metric types', { metric_type: ['row_count', 'freshness'] }, (r: Row) => r.type !== 'null_rate'],
    ['pipeline and one type', { pipeline_name: 'b_etl', metric_type: 'null_rate' }, (r: Row) => r.pipeline === 'b_etl' && r.type === 'null_rate'],
    ['execution_id', { execution_id: '{run}' }, (r: Row) => r.execution !== null],
    [
      'a half-open time range',
      { recorded_after: new Date(BASE + 5 * 60_000).toISOString(), recorded_before: new Date(BASE + 9 * 60_000).toISOString() },
      (r: Row) => r.at >= BASE + 5 * 60_000 && r.at < BASE + 9 * 60_000,
    ],
  ])('filters by %s', async (_, query, keep) => {
    const run = rows.find((r) => r.execution)?.execution;
    const q = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === '{run}' ? run : v]));
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(await walk({ ...q, limit: 4 })).toEqual(want);
  });
});
