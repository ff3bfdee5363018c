import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { ARCHIVED_AMONG } from './archived.sql.js';
import type { OpenSubject } from './signal-sink.js';

/**
 * Healthy observations for the open incidents of archived pipelines that got no signal this tick: the
 * statements skip archived pipelines, so without these their incidents would stay open forever. The
 * evidence says why (`pipeline_archived_at`).
 */
export async function archivedSignals(em: EntityManager, open: readonly OpenSubject[], signalled: readonly IncidentSignal[]): Promise<IncidentSignal[]> {
  const seen = new Set(signalled.map((s) => `${s.monitorId}:${s.subject}`));
  const quiet = open.filter((o) => !seen.has(`${o.monitorId}:${o.subject}`));
  if (quiet.length === 0) return [];
  const archived = new Map((await ARCHIVED_AMONG.run(em, { names: [...new Set(quiet.map((o) => o.pipelineName))] })).map((r) => [r.name, r.archived_at]));
  return quiet
    .filter((o) => archived.has(o.pipelineName))
    .map((o) => ({
      monitorId: o.monitorId,
      kind: o.kind,
      severity: o.severity,
      pipelineName: o.pipelineName,
      subject: o.subject,
      firing: false,
      evidence: { pipeline_archived_at: new Date(archived.get(o.pipelineName) as string).toISOString() },
    }));
}
