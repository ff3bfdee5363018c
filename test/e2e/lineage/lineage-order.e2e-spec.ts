import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { executionRow, facet, historyOf, lineageCounts, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { sql } from '../../support/test-database.js';

// Arrival order, duplicates, late events and concurrency: the final state of a run depends only on which
// events arrived, never on their order.

const T0 = '2026-11-20T10:00:00.000001Z';
const T1 = '2026-11-20T10:05:00Z';
const T2 = '2026-11-20T10:09:30.5Z';
const input = { namespace: 'postgres://db:5432', name: 'public.orders', inputFacets: { inputStatistics: facet({ rowCount: 1200 }) } };
const output = {
  namespace: 's3://lake',
  name: 'orders/daily',
  outputFacets: { outputStatistics: facet({ rowCount: 1187 }) },
  facets: { dataQualityMetrics: facet({ rowCount: 1187, columnMetrics: { id: { nullCount: 0 } } }) },
};

/** START (with input statistics), RUNNING and COMPLETE (with output statistics and quality metrics) of one run. */
function lifecycle(runId: string) {
  return {
    S: runEvent({ type: 'START', runId, time: T0, inputs: [input] }),
    R: runEvent({ type: 'RUNNING', runId, time: T1 }),
    C: runEvent({ type: 'COMPLETE', runId, time: T2, outputs: [output] }),
  };
}
type Step = keyof ReturnType<typeof lifecycle>;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

// START, RUNNING and COMPLETE with one of them sent twice, in every order: 36 distinct sequences.
const SEQUENCES = [...new Set((['S', 'R', 'C'] as Step[]).flatMap((dup) => permutations<Step>(['S', 'R', 'C', dup]).map((p) => p.join(''))))];
const TYPE: Record<Step, string> = { S: 'start:START', R: 'progress:RUNNING', C: 'succeed:COMPLETE' };

describe('OpenLineage events of one run: order, duplicates, late events, concurrency', () => {
  const f = useApp();
  const metricCount = async (id: string) => (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from data_quality_metrics where execution_id = '${id}'`))[0].n;

  it(`every order of START, RUNNING and COMPLETE with a duplicate (${SEQUENCES.length} sequences) ends the same`, async () => {
    expect(SEQUENCES).toHaveLength(36);
    for (const sequence of SEQUENCES) {
      const runId = randomUUID();
      const events = lifecycle(runId);
      const seen = new Set<Step>();
      for (const step of sequence as unknown as Step[]) {
        const res = await postLineage(f.t.app, events[step]);
        expect({ sequence, step, status: res.status }).toEqual({ sequence, step, status: seen.has(step) ? 200 : 201 });
        seen.add(step);
      }
      expect({ sequence, row: await executionRow(f.db.url, runId) }).toEqual({
        sequence,
        row: {
          pipeline_name: 'airflow/orders_dag.load',
          status: 'succeeded',
          started_at: '2026-11-20T10:00:00.000001Z',
          completed_at: '2026-11-20T10:09:30.500000Z',
          row_counts: { 'input:postgres://db:5432/public.orders': 1200, 'output:s3://lake/orders/daily': 1187 },
          error_details: null,
          parent_execution_id: null,
        },
      });
      // One history entry per distinct event: its own type until COMPLETE has arrived, `late` after.
      const arrival = [...new Set(sequence)] as Step[];
      const expected = arrival.map((s, i) => (arrival.indexOf('C') < i ? `late:${TYPE[s].split(':')[1]}` : TYPE[s]));
      expect({ sequence, history: await historyOf(f.db.url, runId) }).toEqual({ sequence, history: expected });
      expect({ sequence, metrics: await metricCount(runId) }).toEqual({ sequence, metrics: 3 });
    }
  }, 120_000);

  it('FAIL after START: failed at the FAIL time, with the errorMessage facet in error_details; has_error finds it', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'START', runId, time: T0 })).expect(201);
    const error = { errorMessage: facet({ message: 'relation "orders" does not exist', programmingLanguage: 'PYTHON', stackTrace: 'Traceback (most recent call last): …' }) };
    const res = await postLineage(f.t.app, runEvent({ type: 'FAIL', runId, time: T2, runFacets: error })).expect(201);
    expect(res.body).toMatchObject({ event_type: 'FAIL', effect: 'applied' });
    const row = await executionRow(f.db.url, runId);
    expect(row).toMatchObject({ status: 'failed', started_at: '2026-11-20T10:00:00.000001Z', completed_at: '2026-11-20T10:09:30.500000Z' });
    expect(JSON.parse(row?.error_details as string)).toEqual({
      message: 'relation "orders" does not exist',
      programmingLanguage: 'PYTHON',
      stackTrace: 'Traceback (most recent call last): …',
    });
    const listed = await http(f.t.app).get('/v1/executions').query({ has_error: true, status: 'failed' }).expect(200);
    expect(listed.body.data.map((e: { execution_id: string }) => e.execution_id)).toContain(runId);
  });

  it('ABORT after START cancels the run at the ABORT time', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'START', runId, time: T0 })).expect(201);
    await postLineage(f.t.app, runEvent({ type: 'ABORT', runId, time: T1 })).expect(201);
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'cancelled', completed_at: '2026-11-20T10:05:00.000000Z' });
    expect(await historyOf(f.db.url, runId)).toEqual(['start:START', 'cancel:ABORT']);
  });

  it('COMPLETE without START creates the run already succeeded; a START arriving later moves only started_at', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: T2 })).expect(201);
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', started_at: '2026-11-20T10:09:30.500000Z', completed_at: '2026-11-20T10:09:30.500000Z' });
    const late = await postLineage(f.t.app, runEvent({ type: 'START', runId, time: T0 })).expect(201);
    expect(late.body.effect).toBe('late');
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', started_at: '2026-11-20T10:00:00.000001Z', completed_at: '2026-11-20T10:09:30.500000Z' });
  });

  it('a terminal state is never reverted: FAIL, ABORT and RUNNING after COMPLETE are kept in the history only', async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: T2 })).expect(201);
    const error = { errorMessage: facet({ message: 'too late', programmingLanguage: 'JAVA' }) };
    for (const type of ['FAIL', 'ABORT', 'RUNNING']) {
      const res = await postLineage(f.t.app, runEvent({ type, runId, time: '2026-11-20T11:00:00Z', runFacets: error })).expect(201);
      expect(res.body.effect).toBe('late');
    }
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', completed_at: '2026-11-20T10:09:30.500000Z', error_details: null });
    expect(await historyOf(f.db.url, runId)).toEqual(['succeed:COMPLETE', 'late:FAIL', 'late:ABORT', 'late:RUNNING']);
    const history = await http(f.t.app).get(`/v1/executions/${runId}/events`).expect(200);
    f.contract.check('GET', '/v1/executions/{execution_id}/events', history);
  });

  it('OTHER and an event without eventType are kept as metadata: no execution, no history, no metric', async () => {
    const runId = randomUUID();
    const before = await lineageCounts(f.db.url);
    await postLineage(f.t.app, runEvent({ type: 'OTHER', runId, time: T0, outputs: [output] })).expect(201);
    const { eventType: _, ...untyped } = runEvent({ runId, time: T1 });
    expect((await postLineage(f.t.app, untyped).expect(201)).body).toMatchObject({ event_type: null, effect: 'stored' });
    expect(await lineageCounts(f.db.url)).toEqual({ ...before, events: before.events + 2 });
  });

  it('the same event twice (keys in any order) is one history entry and one set of metrics; a retry answers 200 with the original', async () => {
    const runId = randomUUID();
    const complete = lifecycle(runId).C;
    const first = await postLineage(f.t.app, complete).expect(201);
    // The same event with its keys in another order (jsonb compares them as one document).
    const again = await postLineage(f.t.app, Object.fromEntries(Object.entries(complete).reverse())).expect(200);
    f.contract.check('POST', '/api/v1/lineage', again);
    expect(again.body).toEqual({ ...first.body, effect: 'duplicate' });
    expect(await historyOf(f.db.url, runId)).toEqual(['succeed:COMPLETE']);
    expect(await metricCount(runId)).toBe(2);
  });

  it('events of one run arriving at the same moment on separate connections are all applied, none lost', async () => {
    const runs = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(runs.flatMap((runId) => Object.values(lifecycle(runId)).map((event) => postLineage(f.t.app, event).expect(201))));
    // And the same event at the same moment on two connections: one writes, the other finds it.
    const twice = lifecycle(runs[0]).C;
    const statuses = (await Promise.all([1, 2].map(() => postLineage(f.t.app, { ...twice, eventTime: '2026-11-20T10:09:31Z' })))).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 201]);
    for (const runId of runs) {
      expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', started_at: '2026-11-20T10:00:00.000001Z' });
      expect((await historyOf(f.db.url, runId)).length).toBe(runId === runs[0] ? 4 : 3);
      expect(await metricCount(runId)).toBe(runId === runs[0] ? 5 : 3);
    }
  });
});
