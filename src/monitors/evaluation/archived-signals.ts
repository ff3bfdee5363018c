import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { ARCHIVED_AMONG } from './archived.sql.js';
import { healthyFor, unsignalled, type OpenSubject } from './signal-sink.js';

/**
 * Healthy observations for the open incidents of archived pipelines that got no signal this tick: the
 * statements skip archived pipelines, so without these their incidents would stay open forever. The
 * evidence says why (`pipeline_archived_at`).
 */
export async function archivedSignals(em: EntityManager, open: readonly OpenSubject[], signalled: readonly IncidentSignal[]): Promise<IncidentSignal[]> {
  const quiet = unsignalled(open, signalled);
  if (quiet.length === 0) return [];
  const archived = new Map((await ARCHIVED_AMONG.run(em, { names: [...new Set(quiet.map((o) => o.pipelineName))] })).map((r) => [r.name, r.archived_at]));
  return quiet
    .filter((o) => archived.has(o.pipelineName))
    .map((o) => healthyFor(o, { pipeline_archived_at: new Date(archived.get(o.pipelineName) as string).toISOString() }));
}
