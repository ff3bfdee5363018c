import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { useApp } from '../../support/app.js';
import { auditRowCounts, http, recordRun, type Execution } from '../../support/audit-fixtures.js';
import { sql } from '../../support/test-database.js';

const EVENTS_PATH = '/v1/executions/{execution_id}/events';
type Status = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

const BODIES: Record<string, Record<string, unknown>> = {
  start: { type: 'start' },
  progress: { type: 'progress', row_counts: { read: 10 } },
  succeed: { type: 'succeed', row_counts: { written: 9 } },
  fail: { type: 'fail', error_details: 'disk full' },
  cancel: { type: 'cancel' },
};

// The whole state machine, from every status: the resulting status, null for 409, or 'repeat' where the
// request repeats the terminal transition that happened (recordRun cancels with the same empty payload).
const TABLE: [Status, string, Status | null | 'repeat'][] = [
  ['pending', 'start', 'running'],
  ['pending', 'progress', null],
  ['pending', 'succeed', null],
  ['pending', 'fail', 'failed'],
  ['pending', 'cancel', 'cancelled'],
  ['running', 'start', null],
  ['running', 'progress', 'running'],
  ['running', 'succeed', 'succeeded'],
  ['running', 'fail', 'failed'],
  ['running', 'cancel', 'cancelled'],
  ...(['succeeded', 'failed', 'cancelled'] as const).flatMap((s) =>
    ['start', 'progress', 'succeed', 'fail', 'cancel'].map((type) => [s, type, s === 'cancelled' && type === 'cancel' ? 'repeat' : null] as [Status, string, null | 'repeat']),
  ),
];

describe('POST /v1/executions/{id}/events: the state machine', () => {
  const f = useApp();

  const post = (id: string, body: object) => http(f.t.app).post(`/v1/executions/${id}/events`).send(body);
  const inStatus = (status: Status, pipeline = 'sm_etl') =>
    status === 'pending' || status === 'running'
      ? recordRun(f.t.app, { pipeline_name: pipeline, status })
      : recordRun(f.t.app, { pipeline_name: pipeline }, status);


  it.each(TABLE)('from %s, %s → %s', async (from, type, to) => {
    const run = await inStatus(from);
    const counts = await auditRowCounts(f.db.url);
    const res = await post(run.execution_id, BODIES[type]);
    f.contract.check('POST', EVENTS_PATH, res);
    if (to === 'repeat') {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(run);
      expect(await auditRowCounts(f.db.url)).toEqual(counts);
    } else if (to === null) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'AUDIT.ILLEGAL_TRANSITION', current_status: from });
      expect(await auditRowCounts(f.db.url)).toEqual(counts);
    } else {
      expect(res.status).toBe(201);
      expect(res.body.status).toBe(to);
      expect(res.body.completed_at === null).toBe(to === 'pending' || to === 'running');
      expect(await auditRowCounts(f.db.url)).toEqual({ ...counts, events: counts.events + 1 });
    }
  });

  it('progress merges row_counts; succeed merges its final counts and sets completed_at', async () => {
    const run = await inStatus('running');
    await post(run.execution_id, { type: 'progress', row_counts: { read: 100 } }).expect(201);
    await post(run.execution_id, { type: 'progress', row_counts: { read: 250, rejected: 2 } }).expect(201);
    // A minute ahead: within METRICS_MAX_FUTURE_SKEW_MS, so taken as sent.
    const completedAt = new Date(Date.now() + 60_000).toISOString();
    const done = await post(run.execution_id, { type: 'succeed', row_counts: { written: 248 }, completed_at: completedAt }).expect(201);
    expect(done.body).toMatchObject({ status: 'succeeded', row_counts: { read: 250, rejected: 2, written: 248 }, completed_at: completedAt.replace('Z', '000Z') });
  });

  it('fail keeps the error details; completed_at defaults to now', async () => {
    const run = await inStatus('running');
    const before = Date.now();
    const res = await post(run.execution_id, { type: 'fail', error_details: 'upstream file missing' }).expect(201);
    expect(res.body.error_details).toBe('upstream file missing');
    expect(Date.parse(res.body.completed_at)).toBeGreaterThanOrEqual(before - 5);
  });

  it('repeating the same terminal transition with the same payload answers 200 and changes nothing', async () => {
    const run = await inStatus('running');
    const first = await post(run.execution_id, { type: 'succeed', row_counts: { written: 5 } }).expect(201);
    const counts = await auditRowCounts(f.db.url);
    const again = await post(run.execution_id, { row_counts: { written: 5 }, type: 'succeed' }).expect(200);
    f.contract.check('POST', EVENTS_PATH, again);
    expect(again.body).toEqual(first.body);
    expect(await auditRowCounts(f.db.url)).toEqual(counts);
    const different = await post(run.execution_id, { type: 'succeed', row_counts: { written: 6 } }).expect(409);
    expect(different.body.current_status).toBe('succeeded');
  });

  it('completed_at before started_at is refused with 422 and writes nothing', async () => {
    const run = await recordRun(f.t.app, { pipeline_name: 'sm_etl', started_at: '2026-11-20T10:00:00Z' });
    const counts = await auditRowCounts(f.db.url);
    const res = await post(run.execution_id, { type: 'succeed', completed_at: '2026-11-20T09:59:59.999Z' }).expect(422);
    f.contract.check('POST', EVENTS_PATH, res);
    expect(res.body).toMatchObject({ code: 'AUDIT.INVALID_TRANSITION_INPUT', detail: expect.stringContaining('before') });
    expect(await auditRowCounts(f.db.url)).toEqual(counts);
    expect((await http(f.t.app).get(`/v1/executions/${run.execution_id}`)).body.status).toBe('running');
  });

  it('type-specific fields are enforced: fail needs error_details, start takes no row_counts', async () => {
    const run = await inStatus('running');
    const noDetails = await post(run.execution_id, { type: 'fail' }).expect(400);
    expect(noDetails.body.errors).toEqual([{ in: 'body', pointer: '/error_details', detail: 'is required' }]);
    const extra = await post(run.execution_id, { type: 'start', row_counts: { read: 1 } }).expect(400);
    expect(extra.body.errors).toEqual([{ in: 'body', pointer: '/row_counts', detail: 'is not allowed here' }]);
  });

  it('an unknown execution is a 404', async () => {
    const res = await post(randomUUID(), { type: 'start' }).expect(404);
    f.contract.check('POST', EVENTS_PATH, res);
  });

  it('when succeed and fail race, exactly one wins, the other gets 409, and the history shows only the winner', async () => {
    for (let round = 0; round < 15; round++) {
      const run = await inStatus('running', 'race_etl');
      const [a, b] = await Promise.all([post(run.execution_id, BODIES.succeed), post(run.execution_id, BODIES.fail)]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const winner = a.status === 201 ? a : b;
      const loser = a.status === 201 ? b : a;
      expect(loser.body.current_status).toBe(winner.body.status);
      const [row] = await sql<{ status: string }>(f.db.url, `select status from pipeline_executions where execution_id = '${run.execution_id}'`);
      expect(row.status).toBe(winner.body.status);
      const events = await http(f.t.app).get(`/v1/executions/${run.execution_id}/events`).expect(200);
      expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['create', winner.body.status === 'succeeded' ? 'succeed' : 'fail']);
    }
  });

  it('under concurrent progress reports the history keeps the order the changes happened, and a retried succeed is recognised', async () => {
    for (let round = 0; round < 10; round++) {
      const run = await inStatus('running', 'order_etl');
      const succeed = { type: 'succeed', row_counts: { written: 1 } };
      await Promise.all([
        post(run.execution_id, succeed),
        ...Array.from({ length: 3 }, (_, i) => post(run.execution_id, { type: 'progress', row_counts: { [`p${i}`]: i } })),
      ]);
      const events = (await http(f.t.app).get(`/v1/executions/${run.execution_id}/events`).expect(200)).body.data as { type: string }[];
      expect(events[events.length - 1].type).toBe('succeed');
      await post(run.execution_id, succeed).expect(200);
    }
  });

  it('a terminal transition without completed_at on a run started in the future completes at its start, not before', async () => {
    // Two minutes ahead (a producer's clock skew, within METRICS_MAX_FUTURE_SKEW_MS).
    const startedAt = new Date(Date.now() + 120_000).toISOString();
    const run = await recordRun(f.t.app, { pipeline_name: 'sm_etl', status: 'pending', started_at: startedAt });
    const res = await post(run.execution_id, { type: 'cancel' }).expect(201);
    expect(res.body.completed_at).toBe(startedAt.replace('Z', '000Z'));
  });

  it('concurrent progress reports lose no update', async () => {
    const run = await inStatus('running');
    const keys = Array.from({ length: 20 }, (_, i) => `part_${i}`);
    await Promise.all(keys.map((key, i) => post(run.execution_id, { type: 'progress', row_counts: { [key]: i } }).expect(201)));
    const res = await http(f.t.app).get(`/v1/executions/${run.execution_id}`).expect(200);
    expect(res.body.row_counts).toEqual(Object.fromEntries(keys.map((k, i) => [k, i])));
  });
});

describe('GET /v1/executions/{id}/events: the history', () => {
  const f = useApp();


  it('lists every accepted change oldest first with its payload, one page at a time', async () => {
    const run: Execution = await recordRun(f.t.app, { pipeline_name: 'hist_etl', status: 'pending', input_file: 'f.csv' });
    const bodies = [{ type: 'start' }, ...Array.from({ length: 4 }, (_, i) => ({ type: 'progress', row_counts: { read: i } })), { type: 'succeed' }];
    for (const body of bodies) await http(f.t.app).post(`/v1/executions/${run.execution_id}/events`).send(body).expect(201);
    const seen: { type: string; payload: object }[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await http(f.t.app)
        .get(`/v1/executions/${run.execution_id}/events`)
        .query(cursor ? { limit: 3, cursor } : { limit: 3 })
        .expect(200);
      f.contract.check('GET', '/v1/executions/{execution_id}/events', res);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((e) => e.type)).toEqual(['create', 'start', 'progress', 'progress', 'progress', 'progress', 'succeed']);
    expect(seen[0].payload).toEqual({ pipeline_name: 'hist_etl', status: 'pending', input_file: 'f.csv' });
    expect(seen[3].payload).toEqual({ row_counts: { read: 1 } });
  });

  it('is a 404 for an unknown execution', async () => {
    const res = await http(f.t.app).get(`/v1/executions/${randomUUID()}/events`).expect(404);
    f.contract.check('GET', '/v1/executions/{execution_id}/events', res);
  });
});
