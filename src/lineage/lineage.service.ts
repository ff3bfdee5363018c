import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { RunReportsService } from '../audit/run-reports.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { DerivedMetricsService } from '../quality/derived-metrics.service.js';
import { OpsMetrics } from '../metrics/ops-metrics.service.js';
import type { Effect, LineageBatchResponse, LineageEventResponse } from './dto/lineage.dto.js';
import { LineageReader, type ParsedEvent } from './lineage-reader.js';
import { EventConflictError, ParentCycleError, RunOfOtherPipelineError } from './lineage.errors.js';
import { INSERT_LINEAGE_EVENT, SELECT_SAME_EVENT } from './lineage.sql.js';
import { checkMetricCaps } from './metric-caps.js';
import { OpenLineageValidator } from './openlineage-validator.js';
import { qualityMetrics } from './quality-facets.js';

/** What the history entries and metrics derived from OpenLineage say they came from. */
export const SOURCE = 'openlineage';

export interface Recorded {
  status: 201 | 200;
  body: LineageEventResponse;
}

/**
 * OpenLineage ingestion: every valid event is stored as received, and a run event is merged into its
 * execution with its quality metrics, all in one transaction (so a retry after a failure finds nothing
 * half written). Executions and metrics are written through their owners' services.
 */
@Injectable()
export class LineageService {
  private readonly reader: LineageReader;
  /** For stored events: their times were judged against the clock when they arrived, not now. */
  private readonly storedReader: LineageReader;

  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RunReportsService) private readonly runs: RunReportsService,
    @Inject(DerivedMetricsService) private readonly metrics: DerivedMetricsService,
    @Inject(OpsMetrics) private readonly ops: OpsMetrics,
  ) {
    const validator = new OpenLineageValidator();
    this.reader = new LineageReader(validator, config.metrics.maxFutureSkewMs);
    this.storedReader = new LineageReader(validator, Number.POSITIVE_INFINITY);
  }

  /** `body` as an event, or what is wrong with it. */
  parse(body: unknown): ParsedEvent | InvalidParam[] {
    return this.reader.read(body, '', Date.now());
  }

  /** A stored event (the replay) as an event, or what today's rules find wrong with it; any event time is accepted. */
  parseStored(body: unknown): ParsedEvent | InvalidParam[] {
    return this.storedReader.read(body, '', Date.now());
  }

  /**
   * One event: 201 when recorded now, 200 when the same event was recorded before; 400 when invalid, 413 when
   * its facets make too many metrics, 409 when it would update another pipeline's run or close a cycle of parents.
   */
  async ingest(body: unknown): Promise<Recorded> {
    const event = this.parse(body);
    if (Array.isArray(event)) throw new InvalidRequestError(...event);
    checkMetricCaps([{ index: null, event }]);
    const recorded = await this.record(event);
    return { status: recorded.effect === 'duplicate' ? 200 : 201, body: recorded };
  }

  /**
   * A batch, event by event in request order, each in its own transaction: invalid events are reported and
   * skipped, and so are events refused by the runs already recorded (another pipeline's run, a cycle of
   * parents); the others are recorded. A batch with no valid event at all, or whose events make more metrics
   * than the caps allow, is refused as a whole before anything is written (400, 413).
   */
  async ingestBatch(bodies: unknown[]): Promise<LineageBatchResponse> {
    const now = Date.now();
    const read = bodies.map((b, i) => this.reader.read(b, `/${i}`, now));
    const failed: LineageBatchResponse['failed_events'] = read.flatMap((r, index) =>
      Array.isArray(r) ? [{ index, reason: r.map(describe).join('; '), retriable: false, errors: r }] : [],
    );
    if (failed.length === bodies.length) throw new InvalidRequestError(...read.flatMap((r) => (Array.isArray(r) ? r : [])));
    const valid = read.flatMap((event, index) => (Array.isArray(event) ? [] : [{ index, event }]));
    checkMetricCaps(valid);
    const events: LineageBatchResponse['events'] = [];
    for (const { index, event } of valid) {
      try {
        const recorded = await this.record(event);
        events.push({ index, event_id: recorded.event_id, effect: recorded.effect });
      } catch (error) {
        if (!(error instanceof EventConflictError)) throw error;
        const found = error.at(`/${index}`);
        failed.push({ index, reason: describe(found), retriable: false, code: error.code, errors: [found] });
      }
    }
    failed.sort((a, b) => a.index - b.index);
    const duplicates = events.filter((e) => e.effect === 'duplicate').length;
    return {
      status: failed.length === 0 ? 'success' : 'partial_success',
      summary: { received: bodies.length, successful: events.length, failed: failed.length, retriable: 0, non_retriable: failed.length, duplicates },
      failed_events: failed,
      events,
    };
  }

  /** One event in its own transaction; counted once it has committed. */
  private async record(event: ParsedEvent): Promise<LineageEventResponse> {
    const recorded = await this.runs.transactional(async (tx): Promise<LineageEventResponse> => {
      const payload = JSON.stringify(event.payload);
      const [row] = await INSERT_LINEAGE_EVENT.run(tx, {
        id: uuidV7(),
        eventTime: event.eventTime.iso,
        kind: event.kind,
        eventType: event.eventType,
        runId: event.runId,
        jobNamespace: event.jobNamespace,
        jobName: event.jobName,
        producer: event.producer,
        payload,
      });
      if (!row) {
        const [original] = await SELECT_SAME_EVENT.run(tx, { payload });
        return { ...original, effect: 'duplicate' };
      }
      const effect = event.run ? await this.apply(event, row, tx) : 'stored';
      return { ...row, effect };
    });
    this.ops.lineageEventAccepted(recorded.effect);
    return recorded;
  }

  /**
   * Merges a stored run event into its execution and records its quality metrics; the replay runs this too.
   * Throws an EventConflictError, having written nothing, when the run belongs to another pipeline or the
   * parent would close a cycle.
   */
  async apply(event: ParsedEvent, row: { event_id: string; received_at: string }, em: EntityManager): Promise<Effect> {
    const run = event.run;
    if (!run || event.runId === null) return 'stored';
    const result = await this.runs.apply(
      {
        executionId: event.runId,
        pipelineName: run.pipelineName,
        transition: run.transition,
        at: event.eventTime.iso,
        rowCounts: run.rowCounts,
        errorDetails: run.errorDetails,
        parentExecutionId: run.parentId,
        attempt: run.attempt,
        maxAttempts: run.maxAttempts,
        nominalTime: run.nominalTime,
        entry: {
          id: row.event_id,
          occurredAt: row.received_at,
          payload: { source: SOURCE, event_type: event.eventType, event_time: event.payload.eventTime, producer: event.producer },
        },
      },
      em,
    );
    if ('refused' in result) {
      throw result.refused === 'other_pipeline'
        ? new RunOfOtherPipelineError(event.runId, result.owner, run.pipelineName)
        : new ParentCycleError(event.runId, run.parentId ?? '');
    }
    const { execution, applied } = result;
    const drafts = qualityMetrics(run.inputs, run.outputs, row.event_id);
    await this.metrics.insert(
      drafts.map((d) => ({ metric_id: uuidV7(), pipeline_name: execution.pipeline_name, recorded_at: event.eventTime.iso, execution_id: event.runId, ...d })),
      em,
    );
    return applied ? 'applied' : 'late';
  }
}

const describe = (p: Pick<InvalidParam, 'pointer' | 'detail'>) => `${p.pointer} ${p.detail}`;
