import { beforeAll, describe, expect, it } from '@jest/globals';
import { AUTO_FRESHNESS } from '../../../src/monitors/evaluation/auto-freshness.sql.js';
import { COVERAGE_OF, CRON_FRESHNESS_CANDIDATES, MAX_AGE_FRESHNESS } from '../../../src/monitors/evaluation/freshness.sql.js';
import { DURATION_OVER, RUN_STATES, STALLED } from '../../../src/monitors/evaluation/runs.sql.js';
import { monitorLoadSql } from '../../support/monitor-load.js';
import { scansOf } from '../../support/query-plan.js';
import { useOrmDatabase } from '../../support/orm.js';

/** Either index finds the running runs by status; the planner picks by its statistics. */
const RUNNING = ['pipeline_executions_active_status_started_idx', 'pipeline_executions_status_started_idx'];
/** Either index finds a pipeline by its name (the pattern index serves equality too). */
const BY_NAME = ['pipelines_pkey', 'pipelines_name_pattern_idx'];
const NOW = new Date('2026-12-04T12:00:00Z');

/**
 * Each statement of the tick over 10,000 monitors and 200,000 runs (2,000 pipelines): runs and events are
 * only ever reached through their indexes; monitors are read whole where every enabled monitor of a kind is
 * evaluated (max_age, auto), and through monitors_kind_deadline_idx where only due ones are (cron).
 */
describe('query plans of the monitors tick', () => {
  const t = useOrmDatabase();

  const plan = (sql: string, params: readonly unknown[]) => scansOf(t.orm.em, sql, params);

  beforeAll(async () => {
    for (const statement of monitorLoadSql(NOW.toISOString(), 2_000, 100)) await t.orm.em.getConnection().execute(statement);
    // The registry: a row per pipeline (the write path inserts it), one in fifty archived.
    await t.orm.em.getConnection().execute(`insert into pipelines (name, archived_at)
      select distinct pipeline_name, case when pipeline_name like '%0' then now() end from monitors on conflict do nothing`);
    await t.orm.em.getConnection().execute('analyze pipelines');
  }, 120_000);

  it('max_age freshness: the newest covered period per monitor from the covered index', async () => {
    const p = await plan(MAX_AGE_FRESHNESS.sql, MAX_AGE_FRESHNESS.values({ now: NOW }));
    expect(p.seq.filter((r) => r !== 'monitors')).toEqual([]);
    expect(p.indexes).toContain('pipeline_executions_succeeded_covered_idx');
  });

  it('cron freshness: only due monitors, through the deadline index; coverage of those from the covered index', async () => {
    const candidates = await plan(CRON_FRESHNESS_CANDIDATES.sql, CRON_FRESHNESS_CANDIDATES.values({ now: NOW, open: ['00000000-0000-4000-8000-000000000000'] }));
    expect(candidates.seq).toEqual([]);
    expect(candidates.indexes).toContain('monitors_kind_deadline_idx');
    const coverage = await plan(COVERAGE_OF.sql, COVERAGE_OF.values({ ids: ['00000000-0000-4000-8000-000000000000'], pipelines: ['p_1'] }));
    expect(coverage.seq).toEqual([]);
    expect(coverage.indexes).toEqual(['pipeline_executions_succeeded_covered_idx']);
  });

  it('auto freshness: four weeks of successes per pipeline from the covered index', async () => {
    const p = await plan(AUTO_FRESHNESS.sql, AUTO_FRESHNESS.values({ now: NOW }));
    expect(p.seq.filter((r) => r !== 'monitors')).toEqual([]);
    expect(p.indexes).toContain('pipeline_executions_succeeded_covered_idx');
  });

  it('duration: running runs from a status index, p95 from the covered index', async () => {
    const p = await plan(DURATION_OVER.sql, DURATION_OVER.values({ now: NOW }));
    expect(p.seq.filter((r) => r !== 'monitors')).toEqual([]);
    expect(p.indexes).toContain('pipeline_executions_succeeded_covered_idx');
    expect(p.indexes.filter((i) => RUNNING.includes(i))).not.toEqual([]);
  });

  it('stalled: running runs from a status index, their newest event from the history index', async () => {
    const p = await plan(STALLED.sql, STALLED.values({ now: NOW }));
    expect(p.seq.filter((r) => r !== 'monitors')).toEqual([]);
    expect(p.indexes).toContain('pipeline_execution_events_history_idx');
    expect(p.indexes.filter((i) => RUNNING.includes(i))).not.toEqual([]);
  });

  it('archived pipelines are skipped by a primary key probe of the registry, never a scan of it', async () => {
    const statements = [
      await plan(MAX_AGE_FRESHNESS.sql, MAX_AGE_FRESHNESS.values({ now: NOW })),
      await plan(CRON_FRESHNESS_CANDIDATES.sql, CRON_FRESHNESS_CANDIDATES.values({ now: NOW, open: [] })),
      await plan(AUTO_FRESHNESS.sql, AUTO_FRESHNESS.values({ now: NOW })),
      await plan(DURATION_OVER.sql, DURATION_OVER.values({ now: NOW })),
      await plan(STALLED.sql, STALLED.values({ now: NOW })),
    ];
    for (const p of statements) {
      expect(p.seq).not.toContain('pipelines');
      expect(p.indexes.filter((i) => BY_NAME.includes(i))).not.toEqual([]);
    }
  });

  it('open runs are looked up by primary key', async () => {
    const p = await plan(RUN_STATES.sql, RUN_STATES.values({ ids: ['00000000-0000-4000-8000-000000000000'] }));
    expect(p.seq).toEqual([]);
  });
});
