import { sql } from 'kysely';
import { prepared, rawStatement } from '../../database/typed-sql.js';
import type { Severity } from '../../incidents/incident-signal.js';
import { notArchived } from './archived.sql.js';
import { newestCoverage } from './coverage.js';

/** How far back auto freshness learns, in weeks, and in how many of them a slot must have a success. */
export const AUTO_WEEKS_BACK = 4;
export const AUTO_MIN_WEEKS = 3;
/** A learned slot is due this long after its hour starts: the hour itself, plus an hour of grace. */
export const AUTO_DUE_AFTER = '2 hours';
/** A run covers a slot when its period starts at most this long before the slot (DST moves UTC hours by one). */
export const AUTO_EARLY_TOLERANCE = '1 hour';

export interface LearnedSlot {
  weekday: number;
  hour: number;
  weeks: number;
}

export interface AutoRow {
  monitor_id: string;
  pipeline_name: string;
  severity: Severity;
  learned: LearnedSlot[];
  /** The end of the learning window: the newest covered period (or now, for one in the future). */
  learned_until: string;
  expected_slot: string;
  covered: string | null;
  covered_by: string | null;
  firing: boolean;
}

/**
 * Every enabled `auto` freshness monitor with a learned schedule, in one statement. A slot is an ISO
 * weekday × UTC hour; it is expected when the pipeline had a successful run covering a period in it in at
 * least AUTO_MIN_WEEKS of the AUTO_WEEKS_BACK weeks up to the pipeline's newest covered period (7-day
 * windows counted back from it, so a job that stopped keeps firing rather than forgetting). The slot
 * checked is the latest expected one whose hour plus an hour of grace has passed; it fires when the newest
 * covered period is earlier than the slot's start minus AUTO_EARLY_TOLERANCE, and only for slots after the
 * monitor was created. Monitors with nothing learned, and those of archived pipelines, get no row. History is read once per pipeline, through
 * pipeline_executions_succeeded_covered_idx (a range of the last weeks).
 */
export const AUTO_FRESHNESS = prepared((_db, p: { now: Date }) =>
  rawStatement(sql<AutoRow>`
    with m as (
      select id, pipeline_name, severity, created_at from monitors
      where enabled and kind = 'freshness' and params ? 'auto' and ${notArchived(sql`pipeline_name`)}
    ),
    history as (
      select n.pipeline_name, a.until, h.slot / 24 + 1 as weekday, h.slot % 24 as hour, count(distinct h.week)::int as weeks
      from (select distinct pipeline_name from m) n
      -- The window ends at the newest covered period, not at now: a job that stopped keeps its schedule
      -- (and keeps firing) instead of forgetting it after two silent weeks.
      cross join lateral ${newestCoverage(sql`n.pipeline_name`)} c
      cross join lateral (select least(c.covered, ${p.now}::timestamptz) as until) a
      cross join lateral (
        -- The hour of the week from Monday 00:00 UTC, by arithmetic on the epoch (1970-01-01 was a Thursday):
        -- in double precision (date_part), cheaper than extract(isodow/hour … at time zone) on every run.
        select ((floor(date_part('epoch', r.covered) / 3600))::bigint + 72) % 168 as slot,
               floor(date_part('epoch', a.until - r.covered) / 604800)::int as week
        from (
          select coalesce(e.nominal_time, e.started_at) as covered from pipeline_executions e
          where e.pipeline_name = n.pipeline_name and e.status = 'succeeded'
            and coalesce(e.nominal_time, e.started_at) > a.until - ${sql.lit(`${AUTO_WEEKS_BACK * 7} days`)}::interval
            and coalesce(e.nominal_time, e.started_at) <= a.until
        ) r
      ) h
      group by n.pipeline_name, a.until, h.slot
      having count(distinct h.week) >= ${sql.lit(AUTO_MIN_WEEKS)}
    ),
    expected as (
      select h.pipeline_name,
             jsonb_agg(jsonb_build_object('weekday', h.weekday, 'hour', h.hour, 'weeks', h.weeks) order by h.weekday, h.hour) as learned,
             max(s.start) as expected_slot, max(h.until) as learned_until
      from history h
      cross join lateral (select (${p.now}::timestamptz - ${sql.lit(AUTO_DUE_AFTER)}::interval) at time zone 'UTC' as ref) x
      cross join lateral (select date_trunc('week', x.ref) + (h.weekday - 1) * interval '1 day' + h.hour * interval '1 hour' as this_week) w
      cross join lateral (
        select (case when w.this_week <= x.ref then w.this_week else w.this_week - interval '7 days' end) at time zone 'UTC' as start
      ) s
      group by h.pipeline_name
    )
    select m.id as monitor_id, m.pipeline_name, m.severity, e.learned, e.learned_until, e.expected_slot, c.covered, c.covered_by,
           m.created_at <= e.expected_slot
             and coalesce(c.covered < e.expected_slot - ${sql.lit(AUTO_EARLY_TOLERANCE)}::interval, true) as firing
    from m
    join expected e on e.pipeline_name = m.pipeline_name
    left join lateral ${newestCoverage(sql`m.pipeline_name`)} c on true`),
);
