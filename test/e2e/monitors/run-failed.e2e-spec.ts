import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http, recordRun } from '../../support/audit-fixtures.js';
import { sql } from '../../support/test-database.js';

interface IncidentBody {
  incident_id: string;
  status: string;
  kind: string;
  pipeline_name: string;
  severity: string;
  occurrences: number;
  evidence: Record<string, unknown> & { failed_children?: { execution_id: string }[]; failed_children_count?: number };
}

// The event-driven run_failed monitor through the real write paths: REST transitions (and OpenLineage reports,
// which go through the same RunOutcomes), with the built-in default monitor or an explicit one.
describe('run_failed: an incident when a run fails for good, in the same transaction as the failure', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  const incidents = async (pipeline: string, status = 'open'): Promise<IncidentBody[]> =>
    (await http(f.t.app).get('/v1/incidents').query({ pipeline_name: pipeline, kind: 'run_failed', status }).expect(200)).body.data;
  const outbox = (type: string, aggregate: string) =>
    sql<{ n: number }>(f.db.url, `select count(*)::int as n from outbox_events where event_type = '${type}' and payload::text like '%${aggregate}%'`).then((r) => r[0].n);
  const fail = (id: string, error = 'boom') => http(f.t.app).post(`/v1/executions/${id}/events`).send({ type: 'fail', error_details: error }).expect(201);

  it('the default monitor opens one critical incident with the run and its error, and writes run.failed and incident.opened', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'rf_default', status: 'running' });
    await fail(run.execution_id, 'duplicate key value violates unique constraint');
    const [incident, ...more] = await incidents('rf_default');
    expect(more).toEqual([]);
    expect(incident).toMatchObject({ kind: 'run_failed', severity: 'critical', status: 'open', pipeline_name: 'rf_default' });
    expect(incident.evidence).toMatchObject({ execution_id: run.execution_id, failed_run: { error: 'duplicate key value violates unique constraint' } });
    expect(await outbox('run.failed', run.execution_id)).toBe(1);
    expect(await outbox('incident.opened', incident.incident_id)).toBe(1);
  });

  it('a failed attempt that will be retried opens nothing; attempt 2 of 2 succeeding leaves no incident', async () => {
    const first = await recordRun(f.t.app, { pipeline_name: 'rf_retry', status: 'running', attempt: 1, max_attempts: 2 });
    await fail(first.execution_id);
    expect(await incidents('rf_retry', 'open')).toEqual([]);
    expect(await outbox('run.failed', first.execution_id)).toBe(0);
    await recordRun(f.t.app, { pipeline_name: 'rf_retry', status: 'running', attempt: 2, max_attempts: 2 }, 'succeeded');
    const all = await sql<{ n: number }>(f.db.url, `select count(*)::int as n from incidents where pipeline_name = 'rf_retry'`);
    expect(all[0].n).toBe(0);
  });

  it('the final attempt failing opens the incident', async () => {
    const last = await recordRun(f.t.app, { pipeline_name: 'rf_final', status: 'running', attempt: 3, max_attempts: 3 });
    await fail(last.execution_id);
    expect(await incidents('rf_final')).toHaveLength(1);
  });

  it('three failed children under one parent run fold into one incident on the parent, listing the three', async () => {
    const parent = await recordRun(f.t.app, { pipeline_name: 'rf_dag', status: 'running' });
    const children = [];
    for (const task of ['extract', 'transform', 'load']) {
      const child = await recordRun(f.t.app, { pipeline_name: `rf_dag.${task}`, status: 'running', parent_execution_id: parent.execution_id });
      await fail(child.execution_id, `${task} failed`);
      children.push(child.execution_id);
    }
    await fail(parent.execution_id, 'dag failed');
    const open = await incidents('rf_dag');
    expect(open).toHaveLength(1);
    expect(open[0].evidence.execution_id).toBe(parent.execution_id);
    expect(open[0].evidence.failed_children_count).toBe(3);
    expect(open[0].evidence.failed_children?.map((c) => c.execution_id).sort()).toEqual([...children].sort());
    for (const task of ['extract', 'transform', 'load']) expect(await incidents(`rf_dag.${task}`)).toEqual([]);
  });

  it('a second failure re-fires the open incident; a successful top-level run resolves it', async () => {
    for (let i = 0; i < 2; i++) await fail((await recordRun(f.t.app, { pipeline_name: 'rf_heal', status: 'running' })).execution_id);
    const [open] = await incidents('rf_heal');
    expect(open.occurrences).toBe(2);
    await recordRun(f.t.app, { pipeline_name: 'rf_heal', status: 'running' }, 'succeeded');
    expect(await incidents('rf_heal')).toEqual([]);
    const [resolved] = await incidents('rf_heal', 'resolved');
    expect(resolved.incident_id).toBe(open.incident_id);
  });

  it('a backfill of an older period does not resolve a current failure; a run covering it does', async () => {
    await fail((await recordRun(f.t.app, { pipeline_name: 'rf_backfill', status: 'running' })).execution_id);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
    await recordRun(f.t.app, { pipeline_name: 'rf_backfill', status: 'running', nominal_time: lastWeek }, 'succeeded');
    expect(await incidents('rf_backfill')).toHaveLength(1);
    await recordRun(f.t.app, { pipeline_name: 'rf_backfill', status: 'running' }, 'succeeded');
    expect(await incidents('rf_backfill')).toEqual([]);
  });

  it('a child attempt that was retried is not listed as a failed child', async () => {
    const parent = await recordRun(f.t.app, { pipeline_name: 'rf_tries', status: 'running' });
    const child = (attempt: number) =>
      recordRun(f.t.app, { pipeline_name: 'rf_tries.load', status: 'running', parent_execution_id: parent.execution_id, attempt, max_attempts: 2 });
    const first = await child(1);
    await fail(first.execution_id);
    expect(await incidents('rf_tries')).toEqual([]);
    const second = await child(2);
    await fail(second.execution_id);
    const [open] = await incidents('rf_tries');
    expect(open.evidence.failed_children?.map((c) => c.execution_id)).toEqual([second.execution_id]);
    expect(open.evidence.failed_children_count).toBe(1);
  });

  it('an explicit monitor fires with its own severity instead of the default; a pipeline switched off fires nothing', async () => {
    await http(f.t.app).post('/v1/monitors').send({ pipeline_name: 'rf_explicit', kind: 'run_failed', severity: 'warning' }).expect(201);
    await fail((await recordRun(f.t.app, { pipeline_name: 'rf_explicit', status: 'running' })).execution_id);
    const open = await incidents('rf_explicit');
    expect(open.map((i) => i.severity)).toEqual(['warning']);

    await http(f.t.app).put('/v1/monitor-defaults').send({ scope: 'pipeline', name: 'rf_off', run_failed: false }).expect((r) => expect([200, 201]).toContain(r.status));
    const off = await recordRun(f.t.app, { pipeline_name: 'rf_off', status: 'running' });
    await fail(off.execution_id);
    expect(await incidents('rf_off')).toEqual([]);
    // The failure itself is still announced.
    expect(await outbox('run.failed', off.execution_id)).toBe(1);
  });

  it('an archived pipeline fires nothing', async () => {
    await http(f.t.app).put('/v1/pipelines/rf_archived').send({ archived: true }).expect((r) => expect([200, 201]).toContain(r.status));
    await fail((await recordRun(f.t.app, { pipeline_name: 'rf_archived', status: 'running' })).execution_id);
    expect(await incidents('rf_archived')).toEqual([]);
  });

  it('an OpenLineage FAIL opens the incident too', async () => {
    const runId = randomUUID();
    const base = { producer: 'https://example.com/test', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'rf_ns', name: 'nightly' } };
    await http(f.t.app).post('/api/v1/lineage').send({ ...base, eventType: 'START', eventTime: new Date(Date.now() - 60_000).toISOString(), run: { runId } }).expect(201);
    await http(f.t.app).post('/api/v1/lineage').send({ ...base, eventType: 'FAIL', eventTime: new Date().toISOString(), run: { runId } }).expect(201);
    expect(await incidents('rf_ns/nightly')).toHaveLength(1);
  });
});
