import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { AUTO_FRESHNESS, AUTO_MIN_WEEKS, AUTO_WEEKS_BACK } from './auto-freshness.sql.js';
import { planDeadline, type DeadlinePlan } from './deadlines.js';
import { COVERAGE_OF, CRON_FRESHNESS_CANDIDATES, MAX_AGE_FRESHNESS, WRITE_DEADLINES, type CronCandidateRow } from './freshness.sql.js';

const iso = (at: Date | string | null) => (at ? new Date(at).toISOString() : null);
const date = (at: string | null) => (at ? new Date(at) : null);

function lastCovered(covered: Date | string | null, coveredBy: string | null) {
  return { last_covered_period: iso(covered), last_covered_by: coveredBy };
}

/** max_age: every monitor, every tick, firing or healthy (subject: the pipeline name). */
export async function maxAgeSignals(em: EntityManager, now: Date): Promise<IncidentSignal[]> {
  const rows = await MAX_AGE_FRESHNESS.run(em, { now });
  return rows.map((r) => ({
    monitorId: r.monitor_id,
    kind: 'freshness',
    severity: r.severity,
    pipelineName: r.pipeline_name,
    subject: r.pipeline_name,
    firing: r.firing,
    evidence: { rule: 'max_age', max_age: r.max_age, ...lastCovered(r.covered, r.covered_by), late_since: iso(r.late_since) },
  }));
}

/**
 * Cron deadlines: the monitors whose deadline passed (or with an open incident) are checked against the
 * occurrence planDeadline picks, with one coverage statement; the new positions are written with one more.
 */
export async function cronSignals(
  em: EntityManager,
  now: Date,
  openMonitorIds: ReadonlySet<string>,
  unreadable: (row: CronCandidateRow, reason: string) => void = () => undefined,
): Promise<IncidentSignal[]> {
  const candidates = await CRON_FRESHNESS_CANDIDATES.run(em, { now, open: [...openMonitorIds] });
  const plans = candidates.map((c) => ({
    row: c,
    plan: planDeadline(c.params, { occurrence: date(c.deadline_occurrence), deadline: date(c.next_deadline_at) }, now, openMonitorIds.has(c.monitor_id)),
  }));
  for (const { row, plan } of plans) if (plan.unreadable) unreadable(row, plan.unreadable);
  const checked = plans.filter((p) => p.plan.checked);
  const coverage = new Map(
    (await COVERAGE_OF.run(em, { ids: checked.map((p) => p.row.monitor_id), pipelines: checked.map((p) => p.row.pipeline_name) })).map((r) => [r.monitor_id, r]),
  );
  const moved = plans.filter((p) => p.plan.next);
  if (moved.length > 0) {
    await WRITE_DEADLINES.run(em, {
      ids: moved.map((p) => p.row.monitor_id),
      occurrences: moved.map((p) => p.plan.next?.occurrence ?? null),
      deadlines: moved.map((p) => p.plan.next?.deadline ?? null),
    });
  }
  return checked.map(({ row, plan }) => cronSignal(row, plan, coverage.get(row.monitor_id)));
}

function cronSignal(row: CronCandidateRow, plan: DeadlinePlan, coverage: { covered: string | null; covered_by: string | null } | undefined): IncidentSignal {
  const covered = coverage?.covered ? new Date(coverage.covered) : null;
  const occurrence = plan.checked as Date;
  const from = plan.checkedFrom ?? occurrence;
  return {
    monitorId: row.monitor_id,
    kind: 'freshness',
    severity: row.severity,
    pipelineName: row.pipeline_name,
    subject: row.pipeline_name,
    firing: !covered || covered.getTime() < from.getTime(),
    evidence: {
      rule: 'cron',
      cron: row.params.cron,
      timezone: row.params.timezone,
      grace: row.params.grace ?? null,
      deadline_occurrence: iso(occurrence),
      deadline_at: iso(plan.checkedDeadline),
      covered_from: iso(from),
      ...lastCovered(covered, coverage?.covered_by ?? null),
    },
  };
}

/** auto: every monitor with a learned schedule, firing or healthy; warning severity whatever is stored. */
export async function autoSignals(em: EntityManager, now: Date): Promise<IncidentSignal[]> {
  const rows = await AUTO_FRESHNESS.run(em, { now });
  return rows.map((r) => ({
    monitorId: r.monitor_id,
    kind: 'freshness',
    severity: 'warning',
    pipelineName: r.pipeline_name,
    subject: r.pipeline_name,
    firing: r.firing,
    evidence: {
      rule: 'auto',
      learned_slots: r.learned,
      learned_from: `successful runs in at least ${AUTO_MIN_WEEKS} of the ${AUTO_WEEKS_BACK} weeks up to the newest covered period, by ISO weekday (1 = Monday) and UTC hour`,
      weeks_back: AUTO_WEEKS_BACK,
      learned_until: iso(r.learned_until),
      expected_slot: iso(r.expected_slot),
      ...lastCovered(r.covered, r.covered_by),
    },
  }));
}
