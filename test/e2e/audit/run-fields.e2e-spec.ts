import { describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { facet, postLineage, runEvent } from '../../support/lineage-fixtures.js';

const PARENT = '01936f00-0000-7000-8000-0000000000aa';

describe('run fields (parent, attempts, nominal time) and the pipeline row a first run creates', () => {
  const f = useApp();

  it('POST /v1/executions takes parent_execution_id, max_attempts and nominal_time, answers them, and registers the pipeline', async () => {
    await http(f.t.app).get('/v1/pipelines/rest_first_run').expect(404);
    const body = { pipeline_name: 'rest_first_run', parent_execution_id: PARENT.toUpperCase(), attempt: 2, max_attempts: 3, nominal_time: '2026-12-01T06:00:00Z' };
    const res = await http(f.t.app).post('/v1/executions').send(body).expect(201);
    f.contract.check('POST', '/v1/executions', res);
    expect(res.body).toMatchObject({ parent_execution_id: PARENT, attempt: 2, max_attempts: 3, nominal_time: '2026-12-01T06:00:00.000000Z' });
    const pipeline = await http(f.t.app).get('/v1/pipelines/rest_first_run').expect(200);
    expect(pipeline.body).toMatchObject({ pipeline_name: 'rest_first_run', health: 'running', last_execution: { execution_id: res.body.execution_id } });
    expect(pipeline.body.first_seen_at).not.toBeNull();
  });

  it('refuses max_attempts below attempt, naming the field, and writes nothing', async () => {
    const res = await http(f.t.app).post('/v1/executions').send({ pipeline_name: 'rest_refused', attempt: 3, max_attempts: 2 }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ pointer: '/max_attempts' });
    await http(f.t.app).get('/v1/pipelines/rest_refused').expect(404);
  });

  it('an OpenLineage first run registers the pipeline, with nominal_time from nominalTime and attempts from the Airflow facet', async () => {
    const runId = '01936f00-0000-7000-8000-0000000000bb';
    const runFacets = {
      nominalTime: facet({ nominalStartTime: '2026-12-02T05:00:00.000Z', nominalEndTime: '2026-12-03T05:00:00.000Z' }),
      airflow: facet({ taskInstance: { try_number: 1 }, task: { retries: 2 } }),
    };
    await postLineage(f.t.app, runEvent({ runId, time: '2026-12-04T10:00:00.000Z', job: { namespace: 'airflow', name: 'orders_dag.load' }, runFacets })).expect(201);
    const run = await http(f.t.app).get(`/v1/executions/${runId}`).expect(200);
    // The end of the nominal interval: the scheduled time the run stands for (Airflow's data interval end).
    expect(run.body).toMatchObject({ attempt: 1, max_attempts: 3, nominal_time: '2026-12-03T05:00:00.000000Z' });
    const pipeline = await http(f.t.app).get(`/v1/pipelines/${encodeURIComponent(run.body.pipeline_name)}`).expect(200);
    expect(pipeline.body).toMatchObject({ health: 'running', last_execution: { execution_id: runId } });
  });
});
