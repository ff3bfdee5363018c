import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, isUuid } from '../common/cursor.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { runQuery, uuid } from '../database/typed-sql.js';
import { sameJson } from '../common/json.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { isDataKind, type MonitorKind, type Severity } from '../incidents/incident-signal.js';
import { CLOCK, type Clock } from '../jobs/clock.js';
import type { CreateMonitorDto, ListMonitorsQuery, MonitorResponse, UpdateMonitorDto } from './dto/monitor.dto.js';
import { checkSeverity, DEFAULT_SEVERITY, isCronFreshness, nextDeadline, normaliseParams, type MonitorParams } from './monitor-params.js';
import { MonitorNameTakenError, MonitorNotFoundError } from './monitors.errors.js';
import { datasetFilter, describeTarget, normaliseTarget, type MonitorTarget } from './monitor-target.js';
import { listMonitors, monitorColumns, pipelineReportsProgress, selectMonitor, seriesVerdicts, targetReportsMetric } from './monitors.sql.js';
import { queries } from '../database/typed-sql.js';

/** The series verdicts GET /v1/monitors/{id} shows of a data monitor, newest judged first. */
const SERIES_SHOWN = 100;

export interface MonitorPage {
  data: MonitorResponse[];
  next_cursor: string | null;
}

/** A monitor as validated and normalised, before it is written (the API and `monitors apply` share it). */
export interface MonitorSpec extends MonitorTarget {
  name: string | null;
  kind: MonitorKind;
  severity: Severity;
  params: MonitorParams;
  resolve_after: number;
}

/**
 * Validates a monitor as the API and a monitors file give it; `base` prefixes the error pointers (an item of
 * a file: `/monitors/3`). Throws InvalidRequestError naming the field.
 */
export function normaliseMonitor(body: CreateMonitorDto, base = ''): MonitorSpec {
  const target = normaliseTarget(body.kind, body, base);
  const params = normaliseParams(body.kind, body.params, base);
  const severity = body.severity ?? ('auto' in params ? 'warning' : DEFAULT_SEVERITY[body.kind]);
  checkSeverity(body.kind, params, severity, base);
  return { name: body.name ?? null, ...target, kind: body.kind, severity, params, resolve_after: body.resolve_after ?? 1 };
}

/** Runs `work` in the caller's transaction (monitors apply) or, for a request, in one of its own. */
function inTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return em.isInTransaction() ? work(em) : em.fork().transactional(work);
}

/** Monitors: create, read, change and disable (docs/monitors.md). Evaluation lives elsewhere. */
@Injectable()
export class MonitorsService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(body: CreateMonitorDto, createdByKey: string | null): Promise<MonitorResponse> {
    return this.insert(normaliseMonitor(body), createdByKey);
  }

  /** Writes a validated monitor; `em` is the caller's transaction (monitors apply) or the request's. */
  async insert(spec: MonitorSpec, createdByKey: string | null, base = '', em: EntityManager = this.em): Promise<MonitorResponse> {
    await this.checkStalledAllowed(spec, base, em);
    await this.checkMetricReported(spec, base, em);
    const now = this.clock.now();
    const deadline = this.deadlineOf(spec.kind, spec.params, now);
    const { column, ...columns } = spec;
    const insert = queries
      .insertInto('monitors')
      .values({
        id: uuidV7(),
        ...columns,
        column_name: column,
        params: JSON.stringify(spec.params),
        enabled: true,
        created_at: now,
        updated_at: now,
        created_by_key: createdByKey,
        ...deadline,
      })
      .returning(monitorColumns);
    const [row] = await this.named(spec.name, () => runQuery(em, insert));
    return row;
  }

  async list(query: ListMonitorsQuery): Promise<MonitorPage> {
    const limit = query.limit ?? 100;
    const afterId = query.cursor ? decodeCursor(query.cursor, { i: isUuid }).i : undefined;
    const filters = { pipelineName: query.pipeline_name, dataset: datasetFilter(query), kind: query.kind, enabled: query.enabled ?? true, afterId };
    const rows = await runQuery(this.em, listMonitors(filters, limit + 1));
    const data = rows.slice(0, limit);
    return { data, next_cursor: rows.length > limit ? encodeCursor({ i: data[data.length - 1].id }) : null };
  }

  /** One monitor; a data monitor with the newest verdict of each series it watches (insufficient history shows here). */
  async get(id: string): Promise<MonitorResponse> {
    const [row] = await runQuery(this.em, selectMonitor(id));
    if (!row) throw new MonitorNotFoundError(id);
    if (!isDataKind(row.kind)) return row;
    return { ...row, series: await runQuery(this.em, seriesVerdicts(id, SERIES_SHOWN)) };
  }

  /**
   * Changes a monitor. params replace the old ones whole (validated for its kind); a changed schedule, or
   * re-enabling, moves a cron freshness monitor's deadline to the next occurrence after now.
   */
  async update(id: string, body: UpdateMonitorDto, em: EntityManager = this.em): Promise<MonitorResponse> {
    return inTransaction(em, (tx) => this.updateLocked(id, body, tx));
  }

  /**
   * The read is `for update`: a DELETE (or another PATCH) of the same monitor waits, or is waited for, so the
   * `enabled` written back is the one just read, never a disable that committed in between.
   */
  private async updateLocked(id: string, body: UpdateMonitorDto, em: EntityManager): Promise<MonitorResponse> {
    const [current] = await runQuery(em, selectMonitor(id).forUpdate());
    if (!current) throw new MonitorNotFoundError(id);
    const params = body.params === undefined ? (current.params as MonitorParams) : normaliseParams(current.kind, body.params);
    const severity = body.severity ?? current.severity;
    checkSeverity(current.kind, params, severity);
    const enabled = body.enabled ?? current.enabled;
    const now = this.clock.now();
    const paramsChanged = !sameJson(params, current.params);
    // The same rule as on create: a stalled monitor that starts watching again, or watches differently.
    if (enabled && (paramsChanged || !current.enabled)) {
      await this.checkStalledAllowed(current, '', em);
      await this.checkMetricReported({ ...current, params }, '', em);
    }
    const rescheduled = paramsChanged || (enabled && !current.enabled);
    const update = queries
      .updateTable('monitors')
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        severity,
        params: JSON.stringify(params),
        ...(body.resolve_after !== undefined ? { resolve_after: body.resolve_after } : {}),
        enabled,
        disabled_at: enabled ? null : current.enabled ? now : new Date(current.disabled_at ?? now),
        updated_at: now,
        ...(rescheduled ? this.deadlineOf(current.kind, params, now) : {}),
      })
      .where('monitors.id', '=', uuid(id))
      .returning(monitorColumns);
    const name = body.name === undefined ? current.name : body.name;
    const [row] = await this.named(enabled ? name : null, () => runQuery(em, update));
    if (!row) throw new MonitorNotFoundError(id);
    return row;
  }

  /** Disables a monitor (its incidents keep pointing at it); disabling a disabled one changes nothing. */
  async disable(id: string, em: EntityManager = this.em): Promise<MonitorResponse> {
    return inTransaction(em, async (tx) => {
      const [current] = await runQuery(tx, selectMonitor(id).forUpdate());
      if (!current) throw new MonitorNotFoundError(id);
      return current.enabled ? this.updateLocked(id, { enabled: false }, tx) : current;
    });
  }

  private deadlineOf(kind: MonitorKind, params: MonitorParams, now: Date): { deadline_occurrence: Date | null; next_deadline_at: Date | null } {
    const next = isCronFreshness(kind, params) ? nextDeadline(params, now) : null;
    return { deadline_occurrence: next?.occurrence ?? null, next_deadline_at: next?.deadline ?? null };
  }

  /**
   * stalled needs a pipeline that reports progress (monitors.sql.ts says exactly which): checked on create,
   * and on a change that re-enables a stalled monitor or changes its params (PATCH, monitors apply).
   */
  async checkStalledAllowed(spec: Pick<MonitorSpec, 'kind' | 'pipeline_name'>, base: string, em: EntityManager = this.em): Promise<void> {
    if (spec.kind !== 'stalled' || spec.pipeline_name === null) return;
    const [{ reports }] = await runQuery(em, pipelineReportsProgress(spec.pipeline_name));
    if (!reports) {
      throw new InvalidRequestError({
        in: 'body',
        pointer: `${base}/kind`,
        detail: `stalled needs a pipeline that reports progress (REST progress events or OpenLineage RUNNING); none of the latest 100 runs of ${JSON.stringify(spec.pipeline_name)} did`,
      });
    }
  }

  /**
   * metric_threshold and metric_anomaly watch a metric type that the target has reported: a type never seen
   * for it (metric_series) is most likely a typo, refused naming /params/metric_type. Checked where the
   * stalled rule is checked (create, and a change that re-enables or changes params).
   */
  async checkMetricReported(spec: MonitorTarget & { kind: MonitorKind; params: MonitorParams }, base: string, em: EntityManager = this.em): Promise<void> {
    if (spec.kind !== 'metric_threshold' && spec.kind !== 'metric_anomaly') return;
    const metricType = (spec.params as { metric_type: string }).metric_type;
    const [{ reported }] = await runQuery(em, targetReportsMetric(spec, metricType));
    if (!reported) {
      throw new InvalidRequestError({
        in: 'body',
        pointer: `${base}/params/metric_type`,
        detail: `no metric of type ${JSON.stringify(metricType)} has been reported for this target (${describeTarget(spec)}); a monitor watches a metric type its target reports`,
      });
    }
  }

  /** Runs a write, answering a taken name as MonitorNameTakenError. */
  private async named<T>(name: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (name !== null && error instanceof UniqueConstraintViolationException) throw new MonitorNameTakenError(name);
      throw error;
    }
  }
}
