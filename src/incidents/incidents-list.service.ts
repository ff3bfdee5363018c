import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, equals, isUuid } from '../common/cursor.js';
import { runQuery } from '../database/typed-sql.js';
import type { IncidentResponse, ListIncidentsQuery } from './dto/incident.dto.js';
import { UNRESOLVED } from './incident-transitions.js';
import { listIncidents } from './incidents.sql.js';

export interface IncidentPage {
  data: IncidentResponse[];
  next_cursor: string | null;
}

/**
 * GET /v1/incidents: newest first, keyset pages; by default the unresolved incidents only. The cursor names
 * its listing (`l`), so another listing's cursor is a 400, not a silently wrong page.
 */
@Injectable()
export class IncidentsListService {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  async list(query: ListIncidentsQuery): Promise<IncidentPage> {
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeCursor(query.cursor, { l: equals('incidents'), i: isUuid }).i : undefined;
    const rows = await runQuery(
      this.em,
      listIncidents({
        statuses: query.status ?? UNRESOLVED,
        pipelineName: query.pipeline_name,
        severity: query.severity,
        kind: query.kind,
        before,
        fetch: limit + 1,
      }),
    );
    const data = rows.slice(0, limit).map((r) => r.row);
    const next = rows.length > limit ? encodeCursor({ l: 'incidents', i: data[data.length - 1].incident_id }) : null;
    return { data, next_cursor: next };
  }
}
