import { sql } from 'kysely';
import { prepared, rawStatement } from '../../database/typed-sql.js';
import type { Severity } from '../../incidents/incident-signal.js';
import { notArchived } from './archived.sql.js';
import { newestCoverage } from './coverage.js';

export interface MaxAgeRow {
  monitor_id: string;
  pipeline_name: string;
  severity: Severity;
  max_age: string;
  covered: string | null;
  covered_by: string | null;
  /** When the pipeline became late: covered + max_age, or the monitor's creation + max_age when nothing is covered yet. */
  late_since: string;
  firing: boolean;
}

/**
 * Every enabled `max_age` freshness monitor, firing or not, in one statement: the newest covered period of
 * its pipeline (the coverage rule) older than max_age. A pipeline that never succeeded is measured from the
 * monitor's creation, so a new monitor on a new pipeline does not fire at once. `max_age` is stored in its
 * canonical ISO 8601 form, which PostgreSQL's interval reads as it is. Archived pipelines are skipped.
 */
export const MAX_AGE_FRESHNESS = prepared((_db, p: { now: Date }) =>
  rawStatement(sql<MaxAgeRow>`
    select m.id as monitor_id, m.pipeline_name, m.severity, m.params->>'max_age' as max_age, c.covered, c.covered_by,
           coalesce(c.covered, m.created_at) + (m.params->>'max_age')::interval as late_since,
           coalesce(c.covered, m.created_at) + (m.params->>'max_age')::interval <= ${p.now}::timestamptz as firing
    from monitors m
    left join lateral ${newestCoverage(sql`m.pipeline_name`)} c on true
    where m.enabled and m.kind = 'freshness' and m.params ? 'max_age' and ${notArchived(sql`m.pipeline_name`)}`),
);

export interface CronCandidateRow {
  monitor_id: string;
  pipeline_name: string;
  severity: Severity;
  params: { cron: string; timezone: string; grace?: string };
  deadline_occurrence: string | null;
  next_deadline_at: string | null;
}

/**
 * Cron freshness monitors to look at this tick: those whose deadline has passed or was never set (served by
 * monitors_kind_deadline_idx), and those with an open incident (`open`), to see them recover. Monitors of
 * archived pipelines are skipped (their position stays; archivedSignals resolves their open incidents).
 */
export const CRON_FRESHNESS_CANDIDATES = prepared((_db, p: { now: Date; open: string[] }) => {
  const columns = sql`id as monitor_id, pipeline_name, severity, params, deadline_occurrence, next_deadline_at`;
  const cron = sql`enabled and kind = 'freshness' and params ? 'cron' and ${notArchived(sql`pipeline_name`)}`;
  // Three disjoint, index-friendly parts rather than one OR, which would read every monitor.
  return rawStatement(sql<CronCandidateRow>`
    select ${columns} from monitors where ${cron} and next_deadline_at <= ${p.now}::timestamptz
    union all
    select ${columns} from monitors where ${cron} and next_deadline_at is null
    union all
    select ${columns} from monitors where ${cron} and id = any(${p.open}::uuid[]) and next_deadline_at > ${p.now}::timestamptz`);
});

export interface CoverageRow {
  monitor_id: string;
  covered: string | null;
  covered_by: string | null;
}

/** The newest covered period of each monitor's pipeline, for a list of monitors given as parallel arrays. */
export const COVERAGE_OF = prepared((_db, p: { ids: string[]; pipelines: string[] }) =>
  rawStatement(sql<CoverageRow>`
    select u.monitor_id, c.covered, c.covered_by
    from unnest(${p.ids}::uuid[], ${p.pipelines}::text[]) as u(monitor_id, pipeline_name)
    left join lateral ${newestCoverage(sql`u.pipeline_name`)} c on true`),
);

/** Writes each monitor's next cron deadline in one statement. */
export const WRITE_DEADLINES = prepared((_db, p: { ids: string[]; occurrences: (Date | null)[]; deadlines: (Date | null)[] }) =>
  rawStatement(sql<never>`
    update monitors m set deadline_occurrence = u.occurrence, next_deadline_at = u.deadline
    from unnest(${p.ids}::uuid[], ${p.occurrences}::timestamptz[], ${p.deadlines}::timestamptz[]) as u(id, occurrence, deadline)
    where m.id = u.id`),
);
