import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { corpus, executionRow, lineageCounts, postBatch, runEvent } from '../../support/lineage-fixtures.js';
import { sql } from '../../support/test-database.js';

// POST /api/v1/lineage/batch: per event, as OpenLineage's batch response describes (success or
// partial_success, failed_events by index). Only a batch with no valid event at all is refused whole.

const T = '2026-11-20T10:00:00Z';

describe('POST /api/v1/lineage/batch', () => {
  const f = useApp();
  const stored = async (runId: string) => (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from lineage_events where run_id = '${runId}'`))[0].n;

  it('records every event in order: START then COMPLETE of one run, and a job event', async () => {
    const runId = randomUUID();
    const res = await postBatch(f.t.app, [
      runEvent({ type: 'START', runId, time: T }),
      runEvent({ type: 'COMPLETE', runId, time: '2026-11-20T10:01:00Z' }),
      corpus('events/marquez/event_job_event.json'),
    ]).expect(200);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.body).toMatchObject({
      status: 'success',
      summary: { received: 3, successful: 3, failed: 0, retriable: 0, non_retriable: 0, duplicates: 0 },
      failed_events: [],
    });
    expect(res.body.events.map((e: { index: number; effect: string }) => [e.index, e.effect])).toEqual([[0, 'applied'], [1, 'applied'], [2, 'stored']]);
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', started_at: '2026-11-20T10:00:00.000000Z' });
  });

  it('a batch with one invalid event records the others and reports that one by index, with its JSON pointer; it writes nothing of it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const before = await lineageCounts(f.db.url);
    const res = await postBatch(f.t.app, [
      runEvent({ type: 'START', runId: a, time: T }),
      corpus('events/openlineage-proxy/event_no_run_id.json'),
      runEvent({ type: 'START', runId: b, time: T }),
    ]).expect(200);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.body).toMatchObject({ status: 'partial_success', summary: { received: 3, successful: 2, failed: 1, non_retriable: 1 } });
    expect(res.body.failed_events).toEqual([
      { index: 1, reason: '/1/run/runId is required', retriable: false, errors: [{ in: 'body', pointer: '/1/run/runId', detail: 'is required' }] },
    ]);
    expect(res.body.events.map((e: { index: number }) => e.index)).toEqual([0, 2]);
    expect([await stored(a), await stored(b)]).toEqual([1, 1]);
    expect(await lineageCounts(f.db.url)).toMatchObject({ events: before.events + 2, executions: before.executions + 2 });
  });

  it('a batch in which no event is valid is refused whole: 400 with a pointer per fault, nothing written', async () => {
    const before = await lineageCounts(f.db.url);
    const res = await postBatch(f.t.app, [corpus('events/openlineage-proxy/event_invalid_run_facet.json'), { eventTime: T }]).expect(400);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/0/run/facets/parent/run/runId', '/1']);
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('a retried batch writes nothing twice: its events come back as duplicates', async () => {
    const runId = randomUUID();
    const batch = [runEvent({ type: 'START', runId, time: T }), runEvent({ type: 'START', runId, time: T })];
    const first = await postBatch(f.t.app, batch).expect(200);
    expect(first.body.events.map((e: { effect: string }) => e.effect)).toEqual(['applied', 'duplicate']);
    const before = await lineageCounts(f.db.url);
    const again = await postBatch(f.t.app, batch).expect(200);
    expect(again.body.summary).toMatchObject({ successful: 2, duplicates: 2 });
    expect(again.body.events.map((e: { event_id: string }) => e.event_id)).toEqual([first.body.events[0].event_id, first.body.events[0].event_id]);
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('refuses an empty array and a body that is not an array (400), and more than 1,000 events (413), writing nothing', async () => {
    const before = await lineageCounts(f.db.url);
    for (const body of [[], { events: [] }]) {
      const res = await postBatch(f.t.app, body as unknown[]).expect(400);
      f.contract.check('POST', '/api/v1/lineage/batch', res);
    }
    const tooMany = Array.from({ length: 1001 }, () => runEvent({ runId: randomUUID(), time: T }));
    const res = await postBatch(f.t.app, tooMany).expect(413);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.body.code).toBe('REQUEST.TOO_MANY_ITEMS');
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('takes the 220 KB event in a batch, and an array body on the single-event route is a 400', async () => {
    const large = corpus('events/marquez/event_large.json');
    const res = await postBatch(f.t.app, [large]).expect(200);
    expect(res.body.events).toEqual([{ index: 0, event_id: expect.any(String), effect: 'applied' }]);
    const wrongRoute = await http(f.t.app).post('/api/v1/lineage').send([large]).expect(400);
    f.contract.check('POST', '/api/v1/lineage', wrongRoute);
  });
});
