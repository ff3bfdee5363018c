import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { archivedSignals } from './archived-signals.js';
import { dataSignals } from './data-signals.js';
import type { CronCandidateRow } from './freshness.sql.js';
import { autoSignals, cronSignals, maxAgeSignals } from './freshness-signals.js';
import { durationSignals, recoveredRuns, stalledSignals } from './run-signals.js';
import type { OpenSubject } from './signal-sink.js';

/**
 * The time-driven evaluation of every enabled freshness, duration and stalled monitor at `now`, and of the
 * data monitors (metric_threshold, test_failed, metric_anomaly) on the series that moved since: a few
 * set-based statements per kind over all monitors (never one per monitor), returning signals for the
 * incidents module (docs/monitors-evaluation.md). Healthy signals go where they can resolve something:
 * freshness monitors report every subject they checked; duration and stalled report healthy for the
 * `openSubjects` (the open incidents of these kinds) whose run no longer fires. Archived pipelines are not
 * evaluated; their open incidents get a healthy signal, so archiving resolves them. The only write is the
 * cron freshness position (deadline_occurrence, next_deadline_at), in `em`'s transaction.
 */
@Injectable()
export class MonitorsTick {
  private readonly logger = new Logger('MonitorsTick');
  /** Monitors already warned about in this process: a broken schedule is logged once, not every tick. */
  private readonly warned = new Set<string>();

  async evaluate(em: EntityManager, now: Date, openSubjects: readonly OpenSubject[] = []): Promise<IncidentSignal[]> {
    const openFreshness = new Set(openSubjects.filter((o) => o.kind === 'freshness').map((o) => o.monitorId));
    const freshness = [
      ...(await maxAgeSignals(em, now)),
      ...(await cronSignals(em, now, openFreshness, (row, reason) => this.unreadable(row, reason))),
      ...(await autoSignals(em, now)),
    ];
    const runs = [...(await durationSignals(em, now)), ...(await stalledSignals(em, now))];
    // Open incidents of archived pipelines first: they resolve as archived, not as a run that recovered.
    const archived = await archivedSignals(em, openSubjects, [...freshness, ...runs]);
    const data = await dataSignals(em, now);
    return [...freshness, ...runs, ...archived, ...(await recoveredRuns(em, openSubjects, [...runs, ...archived])), ...data];
  }

  /** A stored schedule this runtime cannot read (a time zone its tz database no longer knows) checks nothing. */
  private unreadable(row: CronCandidateRow, reason: string): void {
    if (this.warned.has(row.monitor_id)) return;
    this.warned.add(row.monitor_id);
    this.logger.warn(
      `freshness monitor ${row.monitor_id} (pipeline ${row.pipeline_name}) checks nothing: its schedule ${JSON.stringify(row.params.cron)} in ${JSON.stringify(row.params.timezone)} cannot be read here (${reason}); fix the monitor's cron or timezone`,
    );
  }
}
