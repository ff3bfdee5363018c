import { afterEach, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { RunReportsService } from '../../../src/audit/run-reports.service.js';
import { useApp } from '../../support/app.js';
import { sql } from '../../support/test-database.js';
import { executionRow, parentFacet, postLineage, runEvent } from '../../support/lineage-fixtures.js';

// Issue 16 point 12: events giving runs their first parent lock only the run and the root of its parent's
// tree, not one lock for the whole service, and still never record a cycle of parents.

const T = '2026-11-20T10:00:00Z';
const GENEROUS = 30_000;
/** The class (first key) of the parent locks, as src/audit/run-reports.sql.ts takes them with each run's hashtext. */
const PARENT_LINKS = 0x706c5f70;

/** Resolves with `value` once `ms` have passed: the losing side of a race that should not be lost. */
const after = <V>(ms: number, value: V) => new Promise<V>((resolve) => setTimeout(resolve, ms, value).unref());

/** Polls `check` until it holds, for at most GENEROUS ms. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + GENEROUS; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await after(50, null);
  }
}

/** An HTTP request started now, and whether it has answered yet. */
function started(request: PromiseLike<{ status: number }>): { done: boolean; status: Promise<number> } {
  const tracked = { done: false, status: Promise.resolve(0) };
  tracked.status = Promise.resolve(request).then((r) => ((tracked.done = true), r.status));
  return tracked;
}

describe('OpenLineage parent locks', () => {
  const f = useApp();
  /** Releases of the holds a test took: a failed test must not leave its locks to the next ones. */
  let releases: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(releases.map((release) => release()));
    releases = [];
  });

  /** Applies `runId`'s START with parent `parentId` in a transaction left open (holding its locks) until `release`. */
  async function holdReport(runId: string, parentId: string) {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let applied = () => {};
    const holding = new Promise<void>((resolve) => (applied = resolve));
    const runs = f.t.app.get(RunReportsService);
    const report = {
      executionId: runId,
      pipelineName: 'airflow/orders_dag.load',
      transition: 'start' as const,
      at: T,
      rowCounts: {},
      errorDetails: null,
      parentExecutionId: parentId,
      entry: { id: randomUUID(), occurredAt: T, payload: { source: 'openlineage' } },
    };
    const done = f.t.app.get(MikroORM).em.fork().transactional(async (tx) => {
      const result = await runs.apply(report, tx);
      applied();
      await released;
      return result;
    });
    await Promise.race([holding, done]);
    releases.push(async () => (release(), await done));
    return { release, done };
  }

  /** Whether a report waits for an advisory lock in this database (on run `id`'s key, when given). */
  const waitingForLock = async (id?: string) => {
    const key = id === undefined ? '' : `and classid = ${PARENT_LINKS} and objid::bigint = (hashtext('${id}') & 4294967295)`;
    const [row] = await sql<{ n: number }>(
      f.db.url,
      `select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database()) ${key}`,
    );
    return row.n > 0;
  };

  /** A transaction of its own holding run `id`'s parent lock (as the app takes it), after `then`, until released. */
  async function holdLocks(id: string, then?: string) {
    const client = new pg.Client({ connectionString: f.db.url });
    await client.connect();
    await client.query('begin');
    const lock = async (run: string) => void (await client.query(`select pg_advisory_xact_lock(${PARENT_LINKS}, hashtext('${run}'))`));
    await lock(id);
    if (then) await client.query(then);
    let open = true;
    const release = async () => {
      if (!open) return;
      open = false;
      await client.query('commit');
      await client.end();
    };
    releases.push(release);
    return { lock, release };
  }

  it('first parents under one root or under different roots do not wait for each other; giving that root a parent does', async () => {
    const [r0, r1, r2, x1, x3, x4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // The pipeline is registered already: the first run of a new pipeline inserts its registry row, and a
    // second first run would wait on that uncommitted row, which is not what this test is about.
    await sql(f.db.url, `insert into pipelines (name) values ('airflow/orders_dag.load') on conflict do nothing`);
    const held = await holdReport(x1, r1);
    const sameRoot = await Promise.race([postLineage(f.t.app, runEvent({ runId: x3, time: T, runFacets: parentFacet(r1) })), after(GENEROUS, null)]);
    expect(sameRoot?.status).toBe(201);
    const otherRoot = await Promise.race([postLineage(f.t.app, runEvent({ runId: x4, time: T, runFacets: parentFacet(r2) })), after(GENEROUS, null)]);
    expect(otherRoot?.status).toBe(201);
    // r1 getting a parent needs r1's exclusive lock: it waits until the report under r1 commits.
    const attachRoot = started(postLineage(f.t.app, runEvent({ runId: r1, time: T, runFacets: parentFacet(r0) })));
    await until(() => waitingForLock(), 'the event giving r1 a parent waits for the lock on r1');
    expect(attachRoot.done).toBe(false);
    held.release();
    await held.done;
    expect(await attachRoot.status).toBe(201);
    expect(await executionRow(f.db.url, x3)).toMatchObject({ parent_execution_id: r1 });
    expect(await executionRow(f.db.url, x4)).toMatchObject({ parent_execution_id: r2 });
    expect(await executionRow(f.db.url, r1)).toMatchObject({ parent_execution_id: r0 });
  });

  it('an event waiting on a root that meanwhile gets a parent walks again: R0 naming a child of R1 as parent, while R1 is attached under R0, is refused', async () => {
    const [r0, r1, child] = [randomUUID(), randomUUID(), randomUUID()];
    await postLineage(f.t.app, runEvent({ runId: child, time: T, runFacets: parentFacet(r1) })).expect(201);
    await postLineage(f.t.app, runEvent({ runId: r0, time: T })).expect(201);
    const held = await holdReport(r1, r0);
    const loop = started(postLineage(f.t.app, runEvent({ type: 'RUNNING', runId: r0, time: T, runFacets: parentFacet(child) })));
    await until(() => waitingForLock(), 'the event of r0 waits for the lock on r1');
    held.release();
    expect(await held.done).toMatchObject({ applied: true });
    expect(await loop.status).toBe(409);
    expect(await executionRow(f.db.url, r0)).toMatchObject({ parent_execution_id: null });
  });

  it('an event whose root moved to a run another transaction holds starts over and waits for it', async () => {
    const [r0, r1, child, x] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await postLineage(f.t.app, runEvent({ runId: r1, time: T })).expect(201);
    await postLineage(f.t.app, runEvent({ runId: child, time: T, runFacets: parentFacet(r1) })).expect(201);
    // Outside the app: one transaction gives r1 a parent (as a report of r1 would, under r1's lock) while
    // another holds r0, the new root, as a report under r0 would.
    const attach = await holdLocks(r1, `update pipeline_executions set parent_execution_id = '${r0}' where execution_id = '${r1}'`);
    const underR0 = await holdLocks(r0);
    const event = started(postLineage(f.t.app, runEvent({ runId: x, time: T, runFacets: parentFacet(child) })));
    await until(() => waitingForLock(r1), 'the event of x waits for the lock on r1');
    await attach.release();
    await until(() => waitingForLock(r0), 'the event of x, started over, waits for the lock on r0');
    expect(event.done).toBe(false);
    // Starting over let go of r1: a report under r0 may now take it too. (Had the event kept r1 and waited
    // for r0, this would deadlock, and PostgreSQL would abort one side.)
    await underR0.lock(r1);
    await underR0.release();
    expect(await event.status).toBe(201);
    expect(await executionRow(f.db.url, x)).toMatchObject({ parent_execution_id: child });
    const [events] = await sql<{ n: number }>(f.db.url, `select count(*)::int as n from lineage_events where run_id = '${x}'`);
    expect(events.n).toBe(1);
  });

  it('four events closing a 4-cycle together (a→b, b→c, c→d, d→a at the same moment): three recorded, one refused, no cycle stored', async () => {
    for (let i = 0; i < 10; i++) {
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const answers = await Promise.all(ids.map((id, j) => postLineage(f.t.app, runEvent({ runId: id, time: T, runFacets: parentFacet(ids[(j + 1) % 4]) }))));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 409]);
    }
    const [cycles] = await sql<{ n: number }>(
      f.db.url,
      `with recursive up(start, id) as (
         select execution_id, parent_execution_id from pipeline_executions where parent_execution_id is not null
         union
         select up.start, e.parent_execution_id from up join pipeline_executions e on e.execution_id = up.id where e.parent_execution_id is not null
       )
       select count(*)::int as n from up where id = start`,
    );
    expect(cycles.n).toBe(0);
  });
});
