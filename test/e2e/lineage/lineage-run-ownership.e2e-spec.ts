import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { executionRow, facet, historyOf, lineageCounts, parentFacet, postBatch, postLineage, runEvent } from '../../support/lineage-fixtures.js';

// Issue 16 point 12: an OpenLineage event may only update a run of its own pipeline (namespace/name), a
// REST-created one included; a run may not be its own parent, nor its parent's ancestor. Refused events
// write nothing: no raw event, no history entry, no metric, no change to the run.

const T = '2026-11-20T10:00:00Z';
const LATER = '2026-11-20T10:05:00Z';
const job = (namespace: string, name: string) => ({ namespace, name });
const PARENT_POINTER = '/run/facets/parent/run/runId';

describe('OpenLineage run ownership and parents', () => {
  const f = useApp();

  it("a FAIL of job other/x does not take over a REST-created run of pipeline rest_owned: 409 naming the run and its pipeline, nothing changed", async () => {
    const runId = randomUUID();
    await http(f.t.app).post('/v1/executions').send({ execution_id: runId, pipeline_name: 'rest_owned' }).expect(201);
    const [run, history, before] = [await executionRow(f.db.url, runId), await historyOf(f.db.url, runId), await lineageCounts(f.db.url)];
    const res = await postLineage(f.t.app, runEvent({ type: 'FAIL', runId, time: LATER, job: job('other', 'x') })).expect(409);
    f.contract.check('POST', '/api/v1/lineage', res);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE',
      run_id: runId,
      pipeline_name: 'rest_owned',
      event_pipeline_name: 'other/x',
      errors: [{ in: 'body', pointer: '/job', detail: expect.stringContaining(`run ${runId} belongs to pipeline rest_owned`) }],
    });
    expect(await executionRow(f.db.url, runId)).toEqual(run);
    expect(run).toMatchObject({ status: 'running' });
    expect(await historyOf(f.db.url, runId)).toEqual(history);
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it("an event of another job cannot move a run another job's events created", async () => {
    const runId = randomUUID();
    await postLineage(f.t.app, runEvent({ type: 'START', runId, time: T, job: job('airflow', 'a') })).expect(201);
    const before = await lineageCounts(f.db.url);
    const res = await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: LATER, job: job('airflow', 'b') })).expect(409);
    expect(res.body).toMatchObject({ code: 'LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE', run_id: runId, pipeline_name: 'airflow/a' });
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'running', pipeline_name: 'airflow/a' });
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it('an event of the same pipeline still updates a REST-created run: pipeline "namespace/name" is the job namespace and name', async () => {
    const runId = randomUUID();
    await http(f.t.app).post('/v1/executions').send({ execution_id: runId, pipeline_name: 'airflow/orders_dag.load' }).expect(201);
    const res = await postLineage(f.t.app, runEvent({ type: 'COMPLETE', runId, time: LATER, job: job('airflow', 'orders_dag.load') })).expect(201);
    expect(res.body.effect).toBe('applied');
    expect(await executionRow(f.db.url, runId)).toMatchObject({ status: 'succeeded', completed_at: '2026-11-20T10:05:00.000000Z' });
  });

  it('a run naming itself as its parent is refused: 400 naming run.facets.parent.run.runId, nothing written', async () => {
    const runId = randomUUID();
    const before = await lineageCounts(f.db.url);
    const self = { parent: facet({ run: { runId: `urn:uuid:${runId.toUpperCase()}` }, job: job('airflow', 'orders_dag') }) };
    const res = await postLineage(f.t.app, runEvent({ runId, time: T, runFacets: self })).expect(400);
    f.contract.check('POST', '/api/v1/lineage', res);
    expect(res.body.errors).toEqual([{ in: 'body', pointer: PARENT_POINTER, detail: 'must not be the run itself (run.runId)' }]);
    expect(await lineageCounts(f.db.url)).toEqual(before);
  });

  it("cyclic parents across events are refused (409 LINEAGE.PARENT_CYCLE): B's parent is A while A's parent is B, and a longer loop", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await postLineage(f.t.app, runEvent({ runId: a, time: T, runFacets: parentFacet(b) })).expect(201);
    let before = await lineageCounts(f.db.url);
    const res = await postLineage(f.t.app, runEvent({ runId: b, time: T, runFacets: parentFacet(a) })).expect(409);
    f.contract.check('POST', '/api/v1/lineage', res);
    expect(res.body).toMatchObject({ code: 'LINEAGE.PARENT_CYCLE', run_id: b, parent_run_id: a, errors: [{ in: 'body', pointer: PARENT_POINTER }] });
    expect(await executionRow(f.db.url, b)).toBeUndefined();
    expect(await lineageCounts(f.db.url)).toEqual(before);

    // c's parent is b too; b naming c would close b → c → b. And once b is recorded without a parent, a later
    // event of b may not give it a descendant (a) as its parent either.
    await postLineage(f.t.app, runEvent({ runId: c, time: T, runFacets: parentFacet(b) })).expect(201);
    before = await lineageCounts(f.db.url);
    const loop = await postLineage(f.t.app, runEvent({ runId: b, time: T, runFacets: parentFacet(c) })).expect(409);
    expect(loop.body).toMatchObject({ code: 'LINEAGE.PARENT_CYCLE', run_id: b, parent_run_id: c });
    expect(await lineageCounts(f.db.url)).toEqual(before);
    await postLineage(f.t.app, runEvent({ runId: b, time: T })).expect(201);
    await postLineage(f.t.app, runEvent({ type: 'RUNNING', runId: b, time: LATER, runFacets: parentFacet(a) })).expect(409);
    expect(await executionRow(f.db.url, b)).toMatchObject({ status: 'running', parent_execution_id: null });
  });

  it('two events that would close a cycle together, sent at the same moment: exactly one is recorded, the other refused', async () => {
    for (let i = 0; i < 20; i++) {
      const [a, b] = [randomUUID(), randomUUID()];
      const answers = await Promise.all([
        postLineage(f.t.app, runEvent({ runId: a, time: T, runFacets: parentFacet(b) })),
        postLineage(f.t.app, runEvent({ runId: b, time: T, runFacets: parentFacet(a) })),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    }
  });

  it('in a batch, a refused event is listed in failed_events (with its code and pointer) and the others are recorded', async () => {
    const [owned, fresh] = [randomUUID(), randomUUID()];
    await http(f.t.app).post('/v1/executions').send({ execution_id: owned, pipeline_name: 'rest_owned' }).expect(201);
    const before = await lineageCounts(f.db.url);
    const self = { parent: facet({ run: { runId: fresh }, job: job('airflow', 'orders_dag') }) };
    const res = await postBatch(f.t.app, [
      runEvent({ type: 'FAIL', runId: owned, time: LATER, job: job('other', 'x') }),
      runEvent({ runId: fresh, time: T }),
      runEvent({ type: 'COMPLETE', runId: fresh, time: LATER, runFacets: self }),
    ]).expect(200);
    f.contract.check('POST', '/api/v1/lineage/batch', res);
    expect(res.body).toMatchObject({ status: 'partial_success', summary: { received: 3, successful: 1, failed: 2, non_retriable: 2 } });
    expect(res.body.failed_events).toEqual([
      {
        index: 0,
        reason: expect.stringMatching(/^\/0\/job run .* belongs to pipeline rest_owned/),
        retriable: false,
        code: 'LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE',
        errors: [{ in: 'body', pointer: '/0/job', detail: expect.any(String) }],
      },
      { index: 2, reason: expect.any(String), retriable: false, errors: [{ in: 'body', pointer: `/2${PARENT_POINTER}`, detail: expect.any(String) }] },
    ]);
    expect(res.body.events.map((e: { index: number }) => e.index)).toEqual([1]);
    expect(await executionRow(f.db.url, owned)).toMatchObject({ status: 'running', pipeline_name: 'rest_owned' });
    expect(await lineageCounts(f.db.url)).toEqual({ ...before, events: before.events + 1, executions: before.executions + 1, history: before.history + 1 });
  });
});
