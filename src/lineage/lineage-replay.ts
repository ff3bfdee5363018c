import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { RunReportsService } from '../audit/run-reports.service.js';
import { DerivedMetricsService } from '../quality/derived-metrics.service.js';
import type { Effect } from './dto/lineage.dto.js';
import { EventConflictError } from './lineage.errors.js';
import { EVENTS_AFTER, LOCK_EVENTS, REPORTED_RUN_IDS } from './lineage.sql.js';
import { LineageService, SOURCE } from './lineage.service.js';

const PAGE = 500;
const BEFORE_ANY = '00000000-0000-0000-0000-000000000000';

export interface ReplaySummary {
  events: Record<Effect, number>;
  /** Executions deleted and built again from their events. */
  rebuilt: number;
  /** Runs also written through the REST API: left as they are, their events not replayed. */
  skippedRuns: string[];
  /** Stored events today's rules refuse (written by an older version; e.g. a self-parent, another job's run): not replayed. */
  invalid: number;
}

/**
 * Rebuilds every execution reported by OpenLineage, its history and its quality metrics, from the stored
 * raw events alone, in arrival order, through the same code as live ingestion: the result is what live
 * ingestion of the same events in the same order gives. One transaction, holding a SHARE lock on
 * lineage_events so that no event arrives meanwhile (ingestion waits, then goes on); readers see the old
 * rows until it commits. A run that was also written through the REST API is left alone.
 */
@Injectable()
export class LineageReplayService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(LineageService) private readonly lineage: LineageService,
    @Inject(RunReportsService) private readonly runs: RunReportsService,
    @Inject(DerivedMetricsService) private readonly metrics: DerivedMetricsService,
  ) {}

  replay(): Promise<ReplaySummary> {
    const { lineage, runs, metrics } = this;
    return this.em.fork().transactional(async (tx) => {
      await LOCK_EVENTS.run(tx, {});
      const ids = (await REPORTED_RUN_IDS.run(tx, {})).map((r) => r.run_id);
      const skipped = new Set(await runs.writtenElsewhere(ids, SOURCE, tx));
      const rebuild = ids.filter((id) => !skipped.has(id));
      await metrics.delete(rebuild, SOURCE, tx);
      await runs.delete(rebuild, tx);
      const summary: ReplaySummary = { events: { applied: 0, late: 0, stored: 0, duplicate: 0 }, rebuilt: 0, skippedRuns: [...skipped], invalid: 0 };
      const built = new Set<string>();
      for (let after = BEFORE_ANY; ; ) {
        const page = await EVENTS_AFTER.run(tx, { after, limit: PAGE });
        if (page.length === 0) break;
        for (const row of page) {
          after = row.event_id;
          if (row.run_id !== null && skipped.has(row.run_id)) continue;
          const event = lineage.parseStored(row.payload);
          if (Array.isArray(event)) {
            summary.invalid++;
            continue;
          }
          const effect = await lineage.apply(event, row, tx).catch((error: unknown) => {
            // Refused before writing anything, so the transaction goes on.
            if (error instanceof EventConflictError) return null;
            throw error;
          });
          if (effect === null) {
            summary.invalid++;
            continue;
          }
          summary.events[effect]++;
          if (effect !== 'stored' && event.runId !== null) built.add(event.runId);
        }
      }
      return { ...summary, rebuilt: built.size };
    });
  }
}
