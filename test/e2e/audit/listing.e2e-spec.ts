import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ExecutionStatus } from '../../../src/audit/execution-status.js';
import { PipelineExecutionFactory } from '../../../seeders/factories.js';
import { useApp } from '../../support/app.js';
import { walkPages } from '../../support/pages.js';
import { http } from '../../support/audit-fixtures.js';
import { openOrm } from '../../support/orm.js';

const BASE = Date.parse('2026-11-01T00:00:00Z');
const STATUSES = Object.values(ExecutionStatus);

interface Row {
  id: string;
  pipeline: string;
  status: ExecutionStatus;
  startedAt: number;
  error: boolean;
  inputFile: string;
}

describe('GET /v1/executions: filters and keyset pages', () => {
  const f = useApp();
  let orm: MikroORM;
  const rows: Row[] = [];

  const list = (query: Record<string, unknown>) => http(f.t.app).get('/v1/executions').query(query);

  const walk = (query: Record<string, unknown>, between?: () => Promise<void>) =>
    walkPages(f.t.app, f.contract, '/v1/executions', 'execution_id', query, between);

  const expected = (keep: (r: Row) => boolean, asc = false) =>
    rows
      .filter(keep)
      .sort((a, b) => (a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1)) * (asc ? 1 : -1))
      .map((r) => r.id);

  beforeAll(async () => {
    ({ orm } = await openOrm(f.db.url));
    const factory = new PipelineExecutionFactory(orm.em.fork());
    for (let i = 0; i < 90; i++) {
      const row: Row = {
        id: '',
        pipeline: ['orders', 'customers', 'clicks'][i % 3],
        status: STATUSES[i % STATUSES.length],
        // Every fifth pair shares a start time, so ties on started_at are broken by execution_id.
        startedAt: BASE + Math.floor(i / 2) * 60_000,
        error: i % 7 === 0,
        inputFile: `file_${i % 4}.csv`,
      };
      const made = await factory.createOne({
        pipelineName: row.pipeline,
        status: row.status,
        startedAt: new Date(row.startedAt),
        errorDetails: row.error ? 'boom' : null,
        inputFile: row.inputFile,
      });
      rows.push({ ...row, id: made.id });
    }
  });

  afterAll(async () => {
    await orm?.close(true);
  });

  it('serves newest first, 50 per page by default, and walks every row exactly once', async () => {
    const first = await list({}).expect(200);
    expect(first.body.data).toHaveLength(50);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expect(await walk({})).toEqual(expected(() => true));
  });

  it('sort=started_at walks oldest first, ties broken by execution_id', async () => {
    expect(await walk({ sort: 'started_at', limit: 7 })).toEqual(expected(() => true, true));
  });

  it.each([
    ['pipeline_name', { pipeline_name: 'orders' }, (r: Row) => r.pipeline === 'orders'],
    ['one status', { status: 'failed' }, (r: Row) => r.status === 'failed'],
    ['several statuses', { status: ['failed', 'cancelled'] }, (r: Row) => r.status === 'failed' || r.status === 'cancelled'],
    [
      'a half-open time range',
      { started_after: new Date(BASE + 10 * 60_000).toISOString(), started_before: new Date(BASE + 20 * 60_000).toISOString() },
      (r: Row) => r.startedAt >= BASE + 10 * 60_000 && r.startedAt < BASE + 20 * 60_000,
    ],
    ['has_error=true', { has_error: 'true' }, (r: Row) => r.error],
    ['has_error=false', { has_error: 'false' }, (r: Row) => !r.error],
    ['input_file', { input_file: 'file_2.csv' }, (r: Row) => r.inputFile === 'file_2.csv'],
    [
      'several filters at once',
      { pipeline_name: 'clicks', status: ['succeeded', 'running'], has_error: 'false' },
      (r: Row) => r.pipeline === 'clicks' && (r.status === 'succeeded' || r.status === 'running') && !r.error,
    ],
  ])('filters by %s', async (_, query, keep) => {
    const want = expected(keep);
    expect(want.length).toBeGreaterThan(0);
    expect(await walk({ ...query, limit: 4 })).toEqual(want);
  });

  it('accepts limit up to 500 and rejects 0 and 501 with 400', async () => {
    expect((await list({ limit: 500 }).expect(200)).body.data).toHaveLength(90);
    for (const limit of [0, 501]) {
      const res = await list({ limit }).expect(400);
      expect(res.body.errors[0]).toMatchObject({ in: 'query', pointer: '/limit' });
    }
  });

  it('rejects a cursor from the other sort order, or a forged one, with 400', async () => {
    const page = await list({ limit: 5 }).expect(200);
    const other = await list({ sort: 'started_at', cursor: page.body.next_cursor }).expect(400);
    expect(other.body.code).toBe('REQUEST.INVALID_CURSOR');
    const forged = Buffer.from(JSON.stringify({ s: '-started_at', t: "1' or '1'='1", i: 'x' })).toString('base64url');
    expect((await list({ cursor: forged }).expect(400)).body.code).toBe('REQUEST.INVALID_CURSOR');
    expect((await list({ cursor: '%%%' }).expect(400)).body.code).toBe('REQUEST.INVALID_CURSOR');
  });

  it('paging oldest first while rows are recorded concurrently never repeats or skips a row that was there', async () => {
    const before = new Set(expected(() => true));
    const factory = new PipelineExecutionFactory(orm.em.fork());
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await factory.createOne({ pipelineName: 'clicks', startedAt: new Date(i % 2 ? Date.now() : BASE + 20 * 60_000) });
      }
    })();
    const seen = await walk({ limit: 6, sort: 'started_at' });
    stop = true;
    await writer;
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });

  it('paging while new rows arrive never repeats or skips a row that was there', async () => {
    const before = new Set(expected(() => true));
    const factory = new PipelineExecutionFactory(orm.em.fork());
    let n = 0;
    // Between pages, add runs newer than everything and runs in the middle of the range already paged.
    const insert = async () => {
      n++;
      await factory.createOne({ pipelineName: 'orders', startedAt: new Date() });
      await factory.createOne({ pipelineName: 'orders', startedAt: new Date(BASE + 30 * 60_000) });
    };
    const seen = await walk({ limit: 9 }, insert);
    expect(n).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });
});
