import { beforeAll, describe, expect, it } from '@jest/globals';
import { CompiledQuery, type Compilable } from 'kysely';
import { runCompiled } from '../../../src/database/typed-sql.js';
import { EXPIRE_SNOOZES, OBSERVE_HEALTHY, RAISE_SEVERITY, REOPEN, UPSERT_FIRING } from '../../../src/incidents/incidents-record.sql.js';
import { countUnresolvedByPipeline, listIncidents, selectIncident, selectTimeline } from '../../../src/incidents/incidents.sql.js';
import { UNRESOLVED } from '../../../src/incidents/incident-transitions.js';
import { useOrmDatabase } from '../../support/orm.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
const ROWS = 100_000;
const UNRESOLVED_INDEXES = 'incidents_open_dedupe|incidents_unresolved_list_idx';
const NOW = '2026-12-04T12:00:00Z';

/**
 * Every statement the incidents API and record() issue, on 100,000 incidents (97 % resolved, as after
 * months of use) with a timeline each: none scans incidents or incident_events.
 */
describe('query plans of incidents', () => {
  const t = useOrmDatabase();
  const explain = async (compiled: CompiledQuery) =>
    nodes((await runCompiled<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(t.orm.em, CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters])))[0]['QUERY PLAN'][0].Plan);
  const ofQuery = (q: Compilable<unknown>) => explain(q.compile());
  const ofStatement = <P>(s: { sql: string; values: (p: P) => unknown[] }, p: P) => explain(CompiledQuery.raw(s.sql, s.values(p)));
  const scans = (all: PlanNode[]) => all.filter((n) => n['Node Type'] === 'Seq Scan' && ['incidents', 'incident_events', 'outbox_events'].includes(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
  const indexes = (all: PlanNode[]) => all.map((n) => n['Index Name']).filter(Boolean);

  beforeAll(async () => {
    const c = t.orm.em.getConnection();
    await c.execute(`
      insert into incidents (incident_id, dedupe_key, monitor_id, pipeline_name, kind, severity, status, first_seen_at, last_seen_at, resolved_at, snoozed_until, evidence)
      select ('00000000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, 'm' || i, null, 'p' || (i % 1000), 'run_failed', 'warning',
             case when i % 100 < 97 then 'resolved' when i % 100 = 97 then 'snoozed' else 'open' end,
             now() - interval '30 days', now(), case when i % 100 < 97 then now() - (i * interval '1 minute') end,
             case when i % 100 = 97 then now() + interval '1 hour' end, '{}'
      from generate_series(1, ${ROWS}) i`);
    await c.execute(`insert into incident_events (incident_id, at, type) select incident_id, first_seen_at, 'opened' from incidents`);
    await c.execute('analyze incidents');
    await c.execute('analyze incident_events');
  }, 180_000);

  const id = '00000000-0000-7000-8000-000000000098';
  const batch = (n: number) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        incident_id: `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`, dedupe_key: `m${i * 7}`, monitor_id: null, pipeline_name: 'p1',
        kind: 'run_failed', severity: 'critical', evidence: {}, resolve_after: 1,
      })),
    );

  it.each([
    ['the default list (unresolved)', () => ofQuery(listIncidents({ statuses: UNRESOLVED, fetch: 51 })), 'incidents_unresolved_list_idx'],
    ['the default list, a later page', () => ofQuery(listIncidents({ statuses: UNRESOLVED, before: id, fetch: 51 })), 'incidents_unresolved_list_idx'],
    ['the resolved ones (most rows), newest first', () => ofQuery(listIncidents({ statuses: ['resolved'], before: id, fetch: 51 })), 'incidents_pkey'],
    ['acknowledged only', () => ofQuery(listIncidents({ statuses: ['acknowledged'], fetch: 51 })), 'incidents_status_list_idx'],
    ['a pipeline with filters', () => ofQuery(listIncidents({ statuses: UNRESOLVED, pipelineName: 'p98', severity: 'warning', kind: 'run_failed', fetch: 51 })), 'incidents_pipeline_status_idx'],
    ['one incident', () => ofQuery(selectIncident(id, true)), 'incidents_pkey'],
    ['its timeline', () => ofQuery(selectTimeline(id, 1000)), 'incident_events_timeline_idx'],
    ['open counts per pipeline', () => ofQuery(countUnresolvedByPipeline(['p1', 'p2', 'p98'])), 'incidents_pipeline_status_idx'],
    ['snoozes due', () => ofStatement(EXPIRE_SNOOZES, { now: NOW }), 'incidents_snoozed_until_idx'],
    ['record: reopen within the window', () => ofStatement(REOPEN, { now: NOW, signals: batch(1000), windowMs: 3_600_000, flapWindowMs: 3_600_000 }), 'incidents_resolved_dedupe_idx'],
    // Either partial index over the unresolved incidents: probed per signal or read whole, it never holds the resolved ones.
    ['record: raise severity', () => ofStatement(RAISE_SEVERITY, { now: NOW, signals: batch(1000) }), UNRESOLVED_INDEXES],
    ['record: healthy observations', () => ofStatement(OBSERVE_HEALTHY, { now: NOW, signals: batch(1000) }), UNRESOLVED_INDEXES],
  ])('%s: no scan of a whole table, through %s', async (_, plan, index) => {
    const all = await plan();
    expect(scans(all)).toEqual([]);
    expect(indexes(all).some((used) => index.split('|').includes(used as string))).toBe(true);
  });

  it('record: open or re-fire is an insert whose conflict is the unique partial index (no scan)', async () => {
    const all = await ofStatement(UPSERT_FIRING, { now: NOW, signals: batch(1000) });
    expect(scans(all)).toEqual([]);
    expect(all.some((n) => n['Node Type'] === 'ModifyTable' && n['Relation Name'] === 'incidents')).toBe(true);
  });
});
