import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { facet, lineageCounts, postBatch, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { sql } from '../../support/test-database.js';

// Issue 16 point 3: an OpenLineage event's quality facets may record at most 5,000 metrics, and so may a
// whole request (the cap of POST /v1/metrics/batch). Over either, the request is refused whole (413)
// before anything is written: no raw event, no run, no metric.

const T = '2026-11-20T10:00:00Z';
const CAP = 5000;

/** A COMPLETE whose output's dataQualityMetrics facet makes exactly `metrics` metrics: one null count per column. */
const eventWith = (metrics: number, runId = randomUUID()) =>
  runEvent({
    type: 'COMPLETE',
    runId,
    time: T,
    outputs: [
      {
        namespace: 's3://lake',
        name: 'wide_table',
        facets: {
          dataQualityMetrics: facet({ columnMetrics: Object.fromEntries(Array.from({ length: metrics }, (_, i) => [`c${i}`, { nullCount: i }])) }),
        },
      },
    ],
  });

describe('OpenLineage metric caps', () => {
  const f = useApp();
  const metricsOf = async (runId: string) =>
    (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from data_quality_metrics where execution_id = '${runId}'`))[0].n;

  it('an event whose facets make 5,001 metrics is refused: 413 naming the cap, no raw event, run or metric written', async () => {
    const before = await lineageCounts(f.db.url);
    const res = await postLineage(f.t.app, eventWith(CAP + 1)).expect(413);
    f.contract.check('POST', '/api/v1/lineage', res);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'LINEAGE.TOO_MANY_METRICS', limit: CAP, per: 'event', metrics: CAP + 1, event_index: null });
    expect(res.body.detail).toContain('at most 5000 per event');
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('an event of exactly 5,000 metrics is accepted with exactly 5,000 metrics', async () => {
    const runId = randomUUID();
    const res = await postLineage(f.t.app, eventWith(CAP, runId)).expect(201);
    expect(res.body.effect).toBe('applied');
    expect(await metricsOf(runId)).toBe(CAP);
  });

  it('a batch whose events are each under the cap but together over it is refused whole (413, naming where it passes the cap), nothing written', async () => {
    const before = await lineageCounts(f.db.url);
    const res = await postBatch(f.t.app, [runEvent({ runId: randomUUID(), time: T }), eventWith(3000), eventWith(2001)]).expect(413);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.body).toMatchObject({ code: 'LINEAGE.TOO_MANY_METRICS', limit: CAP, per: 'request', metrics: 5001, event_index: 2 });
    expect(res.body.detail).toContain('at most 5000 per request');
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('a batch with one event over the per-event cap is refused whole, naming that event; nothing of the others is written', async () => {
    const before = await lineageCounts(f.db.url);
    const res = await postBatch(f.t.app, [eventWith(10), eventWith(CAP + 1)]).expect(413);
    expect(res.body).toMatchObject({ code: 'LINEAGE.TOO_MANY_METRICS', limit: CAP, per: 'event', metrics: CAP + 1, event_index: 1 });
    expect(res.body.detail).toMatch(/^event 1 would record 5001 quality metrics/);
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('a batch of exactly 5,000 metrics over two events is recorded', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const res = await postBatch(f.t.app, [eventWith(2500, a), eventWith(2500, b)]).expect(200);
    expect(res.body.status).toBe('success');
    expect([await metricsOf(a), await metricsOf(b)]).toEqual([2500, 2500]);
  });
});
