import type { TransitionType } from '../audit/execution-state-machine.js';
import type { InvalidParam } from '../common/problem.js';
import { PIPELINE_NAME_MAX_LENGTH } from '../http/schemas.js';
import { parseEventTime, pipelineNameOf, unstorable, type EventTime } from './event-checks.js';
import type { EventKind, OpenLineageEventType } from './lineage-event.entity.js';
import { kindOf, OpenLineageValidator } from './openlineage-validator.js';
import { qualityMetricCount, type Dataset } from './quality-facets.js';
import { canonicalUuid } from '../common/uuid.js';
import { runScheduleOf, type RunSchedule } from './run-facets.js';

/** How a run event moves its run; OTHER and a missing eventType move nothing (metadata only). */
const TRANSITION: Partial<Record<OpenLineageEventType, TransitionType>> = {
  START: 'start',
  RUNNING: 'progress',
  COMPLETE: 'succeed',
  FAIL: 'fail',
  ABORT: 'cancel',
};

const MAX_ROW_COUNT = Number.MAX_SAFE_INTEGER;

/** What a run event does to its execution, before it is applied. */
export interface RunDraft extends RunSchedule {
  transition: TransitionType;
  pipelineName: string;
  parentId: string | null;
  rowCounts: Record<string, number>;
  errorDetails: string | null;
  inputs: Dataset[];
  outputs: Dataset[];
  /** How many quality metrics the datasets' facets make: what the metric caps count before anything is written. */
  metricCount: number;
}

/** A valid event, with what we store and index of it. */
export interface ParsedEvent {
  kind: EventKind;
  eventType: OpenLineageEventType | null;
  runId: string | null;
  jobNamespace: string | null;
  jobName: string | null;
  producer: string;
  eventTime: EventTime;
  payload: Record<string, unknown>;
  /** null when the event changes no execution: job and dataset events, OTHER, no eventType. */
  run: RunDraft | null;
}

interface Body {
  eventType?: OpenLineageEventType;
  eventTime: string;
  producer: string;
  run?: { runId: string; facets?: Record<string, Record<string, unknown> | undefined> };
  job?: { namespace: string; name: string };
  inputs?: Dataset[];
  outputs?: Dataset[];
}

/** A UUID as we store and compare it: lower case, without the urn:uuid: prefix the format allows. */
const uuidOf = (id: string) => canonicalUuid(id.replace(/^urn:uuid:/i, ''));

/** inputStatistics / outputStatistics row counts, keyed `input:<namespace>/<name>` and `output:<namespace>/<name>`. */
export function rowCountsOf(inputs: Dataset[], outputs: Dataset[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string, value: unknown) => {
    // Some engines send -1 for "unknown": only counts the API can show (0 to 2^53 - 1) are kept.
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ROW_COUNT) counts[key] = value;
  };
  for (const d of inputs) add(`input:${d.namespace}/${d.name}`, (d.inputFacets?.inputStatistics as { rowCount?: unknown } | undefined)?.rowCount);
  for (const d of outputs) add(`output:${d.namespace}/${d.name}`, (d.outputFacets?.outputStatistics as { rowCount?: unknown } | undefined)?.rowCount);
  return counts;
}

/** The errorMessage facet of a FAIL, as a JSON object of its three fields. */
function errorDetailsOf(body: Body): string | null {
  const facet = body.run?.facets?.errorMessage;
  if (!facet) return null;
  const { message, programmingLanguage, stackTrace } = facet;
  return JSON.stringify({ message, programmingLanguage, ...(stackTrace === undefined ? {} : { stackTrace }) });
}

function runDraft(body: Body, runId: string, at: string): RunDraft | InvalidParam[] {
  const transition = body.eventType ? TRANSITION[body.eventType] : undefined;
  const job = body.job as { namespace: string; name: string };
  const problems: InvalidParam[] = [];
  if (!job.namespace.trim()) problems.push({ in: 'body', pointer: `${at}/job/namespace`, detail: 'must not be blank' });
  if (!job.name.trim()) problems.push({ in: 'body', pointer: `${at}/job/name`, detail: 'must not be blank' });
  const pipelineName = pipelineNameOf(job.namespace, job.name);
  if (pipelineName.length > PIPELINE_NAME_MAX_LENGTH) {
    problems.push({ in: 'body', pointer: `${at}/job/name`, detail: `namespace and name together must be at most ${PIPELINE_NAME_MAX_LENGTH - 1} characters` });
  }
  const parent = body.run?.facets?.parent as { run?: { runId?: string } } | undefined;
  const parentId = parent?.run?.runId ? uuidOf(parent.run.runId) : null;
  if (parentId === runId) problems.push({ in: 'body', pointer: `${at}/run/facets/parent/run/runId`, detail: 'must not be the run itself (run.runId)' });
  if (problems.length > 0) return problems;
  if (!transition) return [];
  const inputs = body.inputs ?? [];
  const outputs = body.outputs ?? [];
  return {
    transition,
    pipelineName,
    parentId,
    rowCounts: rowCountsOf(inputs, outputs),
    errorDetails: transition === 'fail' ? errorDetailsOf(body) : null,
    inputs,
    outputs,
    metricCount: qualityMetricCount(inputs, outputs),
    ...runScheduleOf(body.run?.facets),
  };
}

/**
 * Turns a request body into a ParsedEvent, or the list of what is wrong with it (JSON pointers prefixed by
 * `at`, the event's place in a batch). The schema comes first; then what it cannot say: storable text,
 * eventTime within range and not too far ahead, a job that makes a pipeline name.
 */
export class LineageReader {
  constructor(
    private readonly validator: OpenLineageValidator,
    private readonly maxFutureSkewMs: number,
  ) {}

  read(input: unknown, at: string, now: number): ParsedEvent | InvalidParam[] {
    const prefixed = (ps: InvalidParam[]) => ps.map((p) => ({ ...p, pointer: p.pointer === '/' && at ? at : `${at}${p.pointer}` }));
    const unstored = unstorable(input);
    if (unstored) return prefixed([unstored]);
    const invalid = this.validator.validate(input);
    if (invalid.length > 0) return prefixed(invalid);
    const body = input as Body;
    const time = parseEventTime(body.eventTime, now, this.maxFutureSkewMs);
    if (typeof time === 'string') return [{ in: 'body', pointer: `${at}/eventTime`, detail: time }];
    const kind = kindOf(input as Record<string, unknown>) as EventKind;
    const runId = kind === 'run' ? uuidOf((body.run as { runId: string }).runId) : null;
    const run = runId === null ? null : runDraft(body, runId, at);
    if (Array.isArray(run) && run.length > 0) return run;
    return {
      kind,
      eventType: body.eventType ?? null,
      runId,
      jobNamespace: body.job?.namespace ?? null,
      jobName: body.job?.name ?? null,
      producer: body.producer,
      eventTime: time,
      payload: input as Record<string, unknown>,
      run: Array.isArray(run) ? null : run,
    };
  }
}
