import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { MetricRow } from './metric-input.js';
import { DELETE_DERIVED_METRICS, INSERT_METRICS } from './metrics.sql.js';

/**
 * Metrics another feature derives from what it ingests (OpenLineage quality facets), already checked by it.
 * Exported by QualityModule; `source` in each row's metadata says where they came from.
 */
@Injectable()
export class DerivedMetricsService {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  /** Every row in one statement, on `em`'s transaction when it has one. */
  async insert(rows: MetricRow[], em: EntityManager = this.em): Promise<void> {
    if (rows.length > 0) await INSERT_METRICS.run(em, { rows: JSON.stringify(rows) });
  }

  /** Deletes the metrics `source` derived for these executions, to derive them again (the lineage replay). */
  async delete(executionIds: string[], source: string, em: EntityManager = this.em): Promise<number> {
    if (executionIds.length === 0) return 0;
    return (await DELETE_DERIVED_METRICS.run(em, { executionIds, source })).length;
  }
}
