import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { corpus, facet, parentFacet, postBatch, postLineage, runEvent } from '../../support/lineage-fixtures.js';
import { uuidV7 } from '../../../src/database/uuid-v7.js';
import { runTs } from '../../support/spawn.js';
import { sql } from '../../support/test-database.js';

// `node dist/cli.js lineage replay` (here through tsx) rebuilds executions, their history and their
// metrics from lineage_events alone: the rebuilt rows equal the live ones.

const quality = facet({ rowCount: 40, columnMetrics: { id: { nullCount: 1, quantiles: { '0.5': 2.5, '0.9': 9 } } } });
const statsIn = { namespace: 'pg', name: 'public.src', inputFacets: { inputStatistics: facet({ rowCount: 41 }), dataQualityMetrics: quality } };
const statsOut = { namespace: 's3://lake', name: 'dst', outputFacets: { outputStatistics: facet({ rowCount: 40 }) } };
const error = { errorMessage: facet({ message: 'boom', programmingLanguage: 'SCALA', stackTrace: 'at x' }) };

/** Every row a replay rebuilds, without the ids and write times that a rebuild draws afresh. */
async function derivedRows(url: string) {
  return {
    executions: await sql(url, `select execution_id, pipeline_name, status, started_at, completed_at, input_file, row_counts, error_details, attempt, parent_execution_id
                                from pipeline_executions order by execution_id`),
    history: await sql(url, `select * from pipeline_execution_events order by event_id`),
    metrics: await sql(url, `select pipeline_name, dataset_namespace, dataset_name, column_name, metric_type, metric_value, recorded_at, execution_id, metadata from data_quality_metrics
                             order by execution_id, metadata->>'lineage_event_id', metric_type, metadata::text, metric_value`),
    raw: await sql(url, `select * from lineage_events order by id`),
  };
}

describe('lineage replay', () => {
  const f = useApp();
  const replay = () => runTs('src/cli.ts', ['lineage', 'replay'], { DATABASE_URL: f.db.url }, 60_000);
  const restRun = randomUUID();
  const mixedRun = randomUUID();

  beforeAll(async () => {
    const app = f.t.app;
    const dag = randomUUID();
    for (let i = 0; i < 6; i++) {
      const runId = randomUUID();
      const job = { namespace: 'airflow', name: `etl.task_${i} ✓` };
      const start = runEvent({ type: 'START', runId, time: `2026-11-20T10:0${i}:00Z`, job, inputs: [statsIn], runFacets: parentFacet(dag) });
      const end = runEvent({ type: ['COMPLETE', 'FAIL', 'ABORT'][i % 3], runId, time: `2026-11-20T11:0${i}:00Z`, job, outputs: [statsOut], runFacets: { ...parentFacet(dag), ...error } });
      const running = runEvent({ type: 'RUNNING', runId, time: `2026-11-20T10:3${i}:00Z`, job });
      // Odd runs arrive out of order, with a duplicate and a late event.
      const order = i % 2 === 0 ? [start, running, end] : [end, start, running, end];
      for (const event of order) await postLineage(app, event);
    }
    await postBatch(app, [corpus('events/marquez/event_full.json'), corpus('events/marquez/event_large.json'), corpus('events/marquez/event_dataset_event.json')]);
    await postLineage(app, runEvent({ type: 'OTHER', runId: dag, time: '2026-11-20T12:00:00Z' }));
    // A run recorded through the REST API only, and one recorded through both: replay leaves them alone.
    await http(app).post('/v1/executions').send({ execution_id: restRun, pipeline_name: 'rest_only' }).expect(201);
    await http(app).post('/v1/executions').send({ execution_id: mixedRun, pipeline_name: 'airflow/mixed', started_at: '2026-11-20T09:00:00Z' }).expect(201);
    await postLineage(app, runEvent({ type: 'COMPLETE', runId: mixedRun, time: '2026-11-20T13:00:00Z', job: { namespace: 'airflow', name: 'mixed' }, outputs: [statsOut] })).expect(201);
  });

  it('rebuilds executions, history and metrics equal to the live ones, and leaves runs the REST API wrote alone', async () => {
    const live = await derivedRows(f.db.url);
    expect(live.executions.length).toBe(9);
    expect(live.metrics.length).toBe(37); // every quality and statistics facet of the events sent, each metric of its dataset
    const before = await sql(f.db.url, `select * from pipeline_executions where execution_id in ('${restRun}', '${mixedRun}') order by execution_id`);
    // Wipe what replay rebuilds, so that equality cannot come from rows it never touched.
    await sql(f.db.url, `delete from data_quality_metrics where metadata->>'source' = 'openlineage' and execution_id <> '${mixedRun}'`);
    await sql(f.db.url, `update pipeline_executions set status = 'cancelled', completed_at = started_at, row_counts = '{}' where pipeline_name like 'airflow/etl.%'`);
    const run = await replay();
    // 18 distinct events of the six runs, 3 of the corpus and an OTHER (the mixed run's one is skipped): 13
    // moved a run, 7 arrived after theirs had ended, 2 change no run (a dataset event, the OTHER).
    expect(run.output).toMatch(/replayed 22 event\(s\) in \d+ ms: 13 applied, 7 late, 2 stored; 7 execution\(s\) rebuilt/);
    expect(run.output).toContain(`left alone, also written through the REST API: ${mixedRun}`);
    expect(run.code).toBe(0);
    expect(await derivedRows(f.db.url)).toEqual(live);
    expect(await sql(f.db.url, `select * from pipeline_executions where execution_id in ('${restRun}', '${mixedRun}') order by execution_id`)).toEqual(before);
  }, 90_000);

  it('a second replay changes nothing, and ingestion goes on afterwards', async () => {
    const once = await derivedRows(f.db.url);
    expect((await replay()).code).toBe(0);
    expect(await derivedRows(f.db.url)).toEqual(once);
    await postLineage(f.t.app, runEvent({ runId: randomUUID(), time: '2026-11-20T14:00:00Z' })).expect(201);
  }, 90_000);

  it("skips stored events today's rules refuse (written before they were): another job's event of a run, a parent cycle", async () => {
    // As an older version stored them: run `taken` created by job a, then moved by job b; c's parent is d and d's is c.
    const [taken, c, d] = [randomUUID(), randomUUID(), randomUUID()];
    const store = (event: Record<string, unknown>, runId: string) =>
      sql(
        f.db.url,
        `insert into lineage_events (id, event_hash, received_at, event_time, kind, event_type, run_id, job_namespace, job_name, producer, payload)
         select '${uuidV7()}', encode(sha256(convert_to(p::text, 'UTF8')), 'hex'), now(), (p->>'eventTime')::timestamptz, 'run', p->>'eventType',
                '${runId}', p->'job'->>'namespace', p->'job'->>'name', p->>'producer', p
         from (select $$${JSON.stringify(event)}$$::jsonb as p) e`,
      );
    const job = (name: string) => ({ namespace: 'old', name });
    await store(runEvent({ runId: taken, time: '2026-11-20T15:00:00Z', job: job('a') }), taken);
    await store(runEvent({ type: 'FAIL', runId: taken, time: '2026-11-20T15:01:00Z', job: job('b') }), taken);
    await store(runEvent({ runId: c, time: '2026-11-20T15:00:00Z', job: job('c'), runFacets: parentFacet(d) }), c);
    await store(runEvent({ runId: d, time: '2026-11-20T15:00:00Z', job: job('d'), runFacets: parentFacet(c) }), d);
    const run = await replay();
    expect(run.code).toBe(0);
    expect(run.output).toContain("2 stored event(s) are not valid by today's rules and were not replayed");
    const rows = await sql(f.db.url, `select execution_id, pipeline_name, status from pipeline_executions where execution_id in ('${taken}', '${c}', '${d}') order by pipeline_name`);
    expect(rows).toEqual([{ execution_id: taken, pipeline_name: 'old/a', status: 'running' }, { execution_id: c, pipeline_name: 'old/c', status: 'running' }]);
  }, 90_000);
});
