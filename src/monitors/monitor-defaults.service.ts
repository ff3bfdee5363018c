import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { queries, runQuery } from '../database/typed-sql.js';
import { CLOCK, type Clock } from '../jobs/clock.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import type { EffectiveDefaultResponse, ListMonitorDefaultsQuery, MonitorDefaultKey, MonitorDefaultResponse, SetMonitorDefaultDto } from './dto/monitor-default.dto.js';
import { DEFAULT_SCOPES } from './monitor-default.entity.js';
import { defaultColumns, defaultRunFailedApplies, effectiveDefault, listDefaults } from './monitor-defaults.sql.js';

/** The switches of the built-in run_failed monitor (docs/monitors.md "The default run_failed monitor"). */
@Injectable()
export class MonitorDefaultsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async set(body: SetMonitorDefaultDto, byKey: string | null): Promise<MonitorDefaultResponse> {
    const values = { scope: body.scope, name: body.name, run_failed_enabled: body.run_failed, updated_at: this.clock.now(), updated_by_key: byKey };
    const upsert = queries
      .insertInto('monitor_defaults')
      .values(values)
      .onConflict((oc) => oc.columns(['scope', 'name']).doUpdateSet({ run_failed_enabled: values.run_failed_enabled, updated_at: values.updated_at, updated_by_key: byKey }))
      .returning(defaultColumns);
    const [row] = await runQuery(this.em, upsert);
    return row;
  }

  /** Removes a switch (the next one out decides again); true when there was one. */
  async clear(key: MonitorDefaultKey): Promise<boolean> {
    const rows = await runQuery(this.em, queries.deleteFrom('monitor_defaults').where('scope', '=', key.scope).where('name', '=', key.name).returning('name'));
    return rows.length > 0;
  }

  /** A page of switches, keyset on (scope, name) like the other lists. */
  async list(query: ListMonitorDefaultsQuery): Promise<{ data: MonitorDefaultResponse[]; next_cursor: string | null }> {
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeCursor(query.cursor, { s: (v) => (DEFAULT_SCOPES as readonly string[]).includes(v), n: (v) => v.length > 0 }) : undefined;
    const rows = await runQuery(this.em, listDefaults(after && { scope: after.s, name: after.n }, limit + 1));
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, next_cursor: rows.length > limit ? encodeCursor({ s: last.scope, n: last.name }) : null };
  }

  /** Whether the built-in run_failed monitor applies to a top-level run of `pipelineName` (see defaultRunFailedApplies). */
  async applies(pipelineName: string, em: EntityManager = this.em): Promise<boolean> {
    const [row] = await runQuery(em, queries.selectNoFrom(defaultRunFailedApplies(sql.val(pipelineName), this.config.monitorDefaults.runFailed).as('applies')));
    return row.applies;
  }

  async effective(pipelineName: string): Promise<EffectiveDefaultResponse> {
    const [row] = await runQuery(this.em, effectiveDefault(pipelineName, this.config.monitorDefaults.runFailed));
    const decidedBy = row.own_monitor_id !== null ? 'own_monitor' : row.pipeline_switch !== null ? 'pipeline' : row.namespace !== null ? 'namespace' : 'global';
    return {
      pipeline_name: pipelineName,
      run_failed: row.applies,
      decided_by: decidedBy,
      namespace: decidedBy === 'namespace' ? row.namespace : null,
      monitor_id: row.own_monitor_id,
    };
  }
}
