import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { runQuery } from '../database/typed-sql.js';
import type { IncidentDetailResponse } from '../incidents/dto/incident.dto.js';
import type { IncidentRow } from '../incidents/incident-columns.js';
import { IncidentActionsService } from '../incidents/incident-actions.service.js';
import { NotAnomalyIncidentError } from '../incidents/incidents.errors.js';
import { acceptBaseline } from './baseline.sql.js';

/**
 * The incident action accept_baseline (docs/incidents.md#accept-baseline): the anomalous point of a
 * metric_anomaly incident is the new normal. Its series' training starts at that point, so the monitor stops
 * firing on the new level, and the incident is resolved, in one transaction.
 */
@Injectable()
export class BaselineService {
  constructor(@Inject(IncidentActionsService) private readonly actions: IncidentActionsService) {}

  accept(incidentId: string, actor: string): Promise<IncidentDetailResponse> {
    return this.actions.act(incidentId, 'resolve', actor, undefined, (tx, incident) => this.rebaseline(tx, incident));
  }

  /**
   * The training starts at the first anomalous point of the incident's current episode (the evidence that
   * opened or reopened it), so the whole new level counts, not only the points after the newest re-fire.
   */
  private async rebaseline(tx: EntityManager, incident: IncidentRow): Promise<Record<string, unknown>> {
    if (incident.kind !== 'metric_anomaly' || incident.monitor_id === null) throw new NotAnomalyIncidentError(incident.incident_id, incident.kind);
    const first = await this.actions.episodeEvidence(tx, incident);
    const seriesId = first.series_id;
    const from = first.recorded_at;
    if (typeof seriesId !== 'string' || typeof from !== 'string') throw new NotAnomalyIncidentError(incident.incident_id, incident.kind);
    await runQuery(tx, acceptBaseline(incident.monitor_id, seriesId, from));
    return { accept_baseline: { series_id: seriesId, baseline_from: from, metric_id: first.metric_id ?? null } };
  }
}
