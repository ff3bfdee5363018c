import { beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { incidentsOf, MINUTE, outboxOf, signal } from '../../support/incident-fixtures.js';
import { sql } from '../../support/test-database.js';
import request from 'supertest';

describe('incidents through the API', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  let t: ReturnType<typeof incidentsOf>;
  let keyId: string;
  beforeAll(async () => {
    t = incidentsOf(f.t.app);
    keyId = (await sql<{ id: string }>(f.db.url, `select id from api_keys where name = 'e2e suite'`))[0].id;
  });
  const get = async (id: string) => (await http(f.t.app).get(`/v1/incidents/${id}`).expect(200)).body;
  const act = (id: string, action: string, body?: object) => http(f.t.app).post(`/v1/incidents/${id}/${action}`).send(body);
  const byPipeline = async (pipeline: string, query = '') =>
    (await http(f.t.app).get(`/v1/incidents?pipeline_name=${pipeline}${query}`).expect(200)).body.data as { incident_id: string; status: string }[];

  it('answers as the OpenAPI document says: the list, one incident, an action, a refusal and a bad snooze', async () => {
    const [{ aggregateId: id }] = await t.record(signal());
    f.contract.check('GET', '/v1/incidents', await http(f.t.app).get('/v1/incidents?limit=2').expect(200));
    f.contract.check('GET', '/v1/incidents/{incident_id}', await http(f.t.app).get(`/v1/incidents/${id}`).expect(200));
    f.contract.check('POST', '/v1/incidents/{incident_id}/snooze', await act(id, 'snooze', { for: 'PT1H' }).expect(200));
    f.contract.check('POST', '/v1/incidents/{incident_id}/snooze', await act(id, 'snooze', { for: 'P1M' }).expect(400));
    f.contract.check('POST', '/v1/incidents/{incident_id}/resolve', await act(id, 'resolve').expect(200));
    f.contract.check('POST', '/v1/incidents/{incident_id}/acknowledge', await act(id, 'acknowledge').expect(409));
    f.contract.check('GET', '/v1/incidents/{incident_id}', await http(f.t.app).get('/v1/incidents/0190a4b2-0000-7000-8000-000000000000').expect(404));
  });

  it('a firing signal opens an incident, listed and shown with its timeline, announced by one versioned outbox row', async () => {
    const s = signal({ evidence: { execution_id: 'x', error: 'disk full' } });
    const [opened] = await t.record(s);
    const [listed] = await byPipeline(s.pipelineName);
    expect(listed).toMatchObject({ incident_id: opened.aggregateId, status: 'open', severity: 'warning', kind: 'run_failed', occurrences: 1 });
    const detail = await get(listed.incident_id);
    expect(detail.evidence).toEqual({ execution_id: 'x', error: 'disk full' });
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['opened']);
    const outbox = await outboxOf(f.db.url, listed.incident_id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ event_type: 'incident.opened', published_at: null, payload: { schema_version: 1, incident: { status: 'open' } } });
  });

  it('evaluating the same signal twice changes one incident: occurrences 2, still one outbox row', async () => {
    const s = signal();
    await t.record(s);
    await t.record(s);
    const [only, ...others] = await byPipeline(s.pipelineName, '&status=open&status=resolved');
    expect(others).toEqual([]);
    expect(await get(only.incident_id)).toMatchObject({ occurrences: 2, status: 'open' });
    expect(await outboxOf(f.db.url, only.incident_id)).toHaveLength(1);
  });

  it('acknowledge records the API key; a re-fire keeps it acknowledged; a critical re-fire raises the severity once', async () => {
    const s = signal();
    const [{ aggregateId: id }] = await t.record(s);
    const acked = (await act(id, 'acknowledge').expect(200)).body;
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged_by: keyId });
    expect(acked.timeline.at(-1)).toMatchObject({ type: 'acknowledged', actor_api_key_id: keyId });
    await t.record(s);
    await t.record({ ...s, severity: 'critical' });
    await t.record({ ...s, severity: 'critical' });
    const after = await get(id);
    expect(after).toMatchObject({ status: 'acknowledged', severity: 'critical', occurrences: 4 });
    expect(after.timeline.map((e: { type: string }) => e.type)).toEqual(['opened', 'acknowledged', 'severity_raised']);
    expect((await outboxOf(f.db.url, id)).map((o) => o.event_type)).toEqual(['incident.opened', 'incident.acknowledged', 'incident.severity_raised']);
    await act(id, 'acknowledge').expect(200); // acknowledging again: nothing changes
    expect((await get(id)).timeline).toHaveLength(3);
  });

  it('refuses what the transition table refuses (409), unknown ids (404), a read-only key (403), and bad snoozes (400), writing nothing', async () => {
    const [{ aggregateId: id }] = await t.record(signal());
    await act(id, 'resolve').expect(200);
    const refused = await act(id, 'acknowledge').expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'INCIDENTS.ILLEGAL_TRANSITION', current_status: 'resolved' });
    await act(id, 'snooze', { for: 'PT1H' }).expect(409);
    expect((await act('0190a4b2-0000-7000-8000-000000000000', 'acknowledge').expect(404)).body.code).toBe('INCIDENTS.NOT_FOUND');
    const readOnly = (await f.t.app.get(ApiKeysService).create('read only', ['read'])).key;
    await request(f.t.app.getHttpServer()).post(`/v1/incidents/${id}/reopen`).set('authorization', `Bearer ${readOnly}`).expect(403);
    await request(f.t.app.getHttpServer()).get(`/v1/incidents/${id}`).set('authorization', `Bearer ${readOnly}`).expect(200);
    const [{ aggregateId: open }] = await t.record(signal());
    for (const [body, pointer] of [[{ for: 'P1M' }, '/for'], [{ for: 'PT0S' }, '/for'], [{ until: '2020-01-01T00:00:00Z' }, '/until'], [{ for: 'P31D' }, '/for'], [{}, '/until']] as const) {
      const bad = await act(open, 'snooze', body).expect(400);
      expect(bad.body.errors[0].pointer).toBe(pointer);
    }
    await act(open, 'snooze', { for: 'PT1H', extra: 1 }).expect(400);
    expect(await get(open)).toMatchObject({ status: 'open', timeline: [{ type: 'opened' }] });
    expect(await outboxOf(f.db.url, open)).toHaveLength(1);
  });

  it('a snooze ends on expiry: back to open when the condition still held, resolved when it was healthy', async () => {
    const firing = signal();
    const healed = signal({ resolveAfter: 3 });
    const [{ aggregateId: a }] = await t.record(firing);
    const [{ aggregateId: b }] = await t.record(healed);
    expect((await act(a, 'snooze', { for: 'PT1H' }).expect(200)).body).toMatchObject({ status: 'snoozed' });
    await act(b, 'snooze', { until: new Date(t.clock.now().getTime() + 30 * MINUTE).toISOString() }).expect(200);
    await t.record(firing); // a re-fire while snoozed stays snoozed, quietly
    await t.record({ ...healed, firing: false }); // one healthy observation of three: not resolved yet
    expect(await get(a)).toMatchObject({ status: 'snoozed', occurrences: 2 });
    t.clock.advance(31 * MINUTE);
    await t.expireSnoozes();
    expect(await get(a)).toMatchObject({ status: 'snoozed' });
    expect(await get(b)).toMatchObject({ status: 'resolved', snoozed_until: null });
    t.clock.advance(30 * MINUTE);
    await t.expireSnoozes();
    expect(await get(a)).toMatchObject({ status: 'open', snoozed_until: null });
    expect((await outboxOf(f.db.url, a)).map((o) => o.event_type)).toEqual(['incident.opened', 'incident.snoozed', 'incident.snooze_expired']);
    expect((await outboxOf(f.db.url, b)).map((o) => o.event_type)).toEqual(['incident.opened', 'incident.snoozed', 'incident.resolved']);
  });

  it('auto-resolves after resolve_after consecutive healthy observations; a firing one in between starts the count again', async () => {
    const s = signal({ resolveAfter: 3 });
    const [{ aggregateId: id }] = await t.record(s);
    const healthy = { ...s, firing: false };
    await t.record(healthy);
    await t.record(healthy);
    await t.record(s);
    await t.record(healthy);
    await t.record(healthy);
    expect(await get(id)).toMatchObject({ status: 'open', healthy_streak: 2 });
    await t.record(healthy);
    const resolved = await get(id);
    expect(resolved).toMatchObject({ status: 'resolved', healthy_streak: 3 });
    expect(resolved.timeline.at(-1)).toMatchObject({ type: 'auto_resolved', actor_api_key_id: null });
    expect((await outboxOf(f.db.url, id)).map((o) => o.event_type)).toEqual(['incident.opened', 'incident.resolved']);
  });

  it('a re-fire within the reopen window reopens the same incident; after it, a new incident opens', async () => {
    const s = signal();
    const [{ aggregateId: id }] = await t.record(s);
    await t.record({ ...s, firing: false });
    t.clock.advance(10 * MINUTE);
    await t.record(s);
    expect(await get(id)).toMatchObject({ status: 'open', reopen_count: 1, resolved_at: null });
    await t.record({ ...s, firing: false });
    t.clock.advance(61 * MINUTE);
    const [{ aggregateId: fresh, eventType }] = await t.record(s);
    expect(eventType).toBe('incident.opened');
    expect(fresh).not.toBe(id);
    expect(await get(id)).toMatchObject({ status: 'resolved', reopen_count: 1 });
    expect((await outboxOf(f.db.url, id)).map((o) => o.event_type)).toEqual(['incident.opened', 'incident.resolved', 'incident.reopened', 'incident.resolved']);
  });

  it('three resolve→reopen cycles within an hour mark it flapping, announced once; then auto-resolve needs 3 healthy observations', async () => {
    const s = signal();
    const healthy = { ...s, firing: false };
    const [{ aggregateId: id }] = await t.record(s);
    for (let cycle = 0; cycle < 3; cycle++) {
      await t.record(healthy);
      t.clock.advance(5 * MINUTE);
      await t.record(s);
    }
    const detail = await get(id);
    expect(detail).toMatchObject({ status: 'open', flapping: true, reopen_count: 3 });
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'flapping')).toHaveLength(1);
    expect((await outboxOf(f.db.url, id)).filter((o) => o.event_type === 'incident.flapping')).toHaveLength(1);
    await t.record(healthy);
    await t.record(healthy);
    expect(await get(id)).toMatchObject({ status: 'open' });
    await t.record(healthy);
    expect(await get(id)).toMatchObject({ status: 'resolved' });
  });

  it('manual reopen and resolve follow the table; reopening when a newer incident of the problem is open is 409', async () => {
    const s = signal();
    const [{ aggregateId: id }] = await t.record(s);
    expect((await act(id, 'reopen').expect(409)).body.code).toBe('INCIDENTS.ILLEGAL_TRANSITION');
    await act(id, 'resolve').expect(200);
    await act(id, 'resolve').expect(200); // already resolved: nothing changes
    const reopened = (await act(id, 'reopen').expect(200)).body;
    expect(reopened).toMatchObject({ status: 'open', reopen_count: 1 });
    expect(reopened.timeline.map((e: { type: string; actor_api_key_id: string | null }) => [e.type, e.actor_api_key_id])).toEqual([
      ['opened', null],
      ['resolved', keyId],
      ['reopened', keyId],
    ]);
    await act(id, 'resolve').expect(200);
    t.clock.advance(2 * 60 * MINUTE);
    await t.record(s); // a new incident of the same problem
    expect((await act(id, 'reopen').expect(409)).body.code).toBe('INCIDENTS.ALREADY_OPEN');
  });

  it('lists newest first in keyset pages, unresolved by default, filtered by status, severity and kind', async () => {
    const pipelineName = `list_${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.record(signal({ pipelineName, severity: i % 2 ? 'critical' : 'warning' })))[0].aggregateId);
    await act(ids[0], 'resolve').expect(200);
    const first = (await http(f.t.app).get(`/v1/incidents?pipeline_name=${pipelineName}&limit=2`).expect(200)).body;
    const second = (await http(f.t.app).get(`/v1/incidents?pipeline_name=${pipelineName}&limit=2&cursor=${first.next_cursor}`).expect(200)).body;
    expect([...first.data, ...second.data].map((i: { incident_id: string }) => i.incident_id)).toEqual([ids[4], ids[3], ids[2], ids[1]]);
    expect(second.next_cursor).toBeNull();
    expect((await byPipeline(pipelineName, '&status=resolved')).map((i) => i.incident_id)).toEqual([ids[0]]);
    expect((await byPipeline(pipelineName, '&severity=critical')).map((i) => i.incident_id)).toEqual([ids[3], ids[1]]);
    expect(await byPipeline(pipelineName, '&kind=freshness')).toEqual([]);
    await http(f.t.app).get('/v1/incidents?status=closed').expect(400);
    await http(f.t.app).get('/v1/incidents?cursor=nonsense').expect(400);
  });
});
