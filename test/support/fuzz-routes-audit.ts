import fc from 'fast-check';
import { CreateExecutionDto } from '../../src/audit/dto/create-execution.dto.js';
import { ExecutionIdParams, ListEventsQuery } from '../../src/audit/dto/execution-params.js';
import { ExecutionEventDto } from '../../src/audit/dto/execution-event.dto.js';
import { EXECUTION_SORTS, ListExecutionsQuery } from '../../src/audit/dto/list-executions.query.js';
import { PutPipelineDto } from '../../src/audit/dto/pipeline-metadata.js';
import { ListPipelinesQuery, PipelineParams, PipelineQuery } from '../../src/audit/dto/pipeline.query.js';
import { ExecutionStatus } from '../../src/audit/execution-status.js';
import { NoQuery } from '../../src/http/schemas.js';
import {
  cursorNearMiss, historyCursor, idNearMiss, listingCursor, numberish, pathParam, RUNNING_SINCE, urnUuid, windowNearMiss, windowTooLong,
  windowValue, type Fixtures,
} from './fuzz-params.js';
import type { Parts, RouteSpec } from './fuzz-requests.js';
import {
  anyJson, anyString, nameNearMiss, oddNumber, pastTimestamp, pipelineName, textAccepts, timestamp, timestampNearMiss, uuid,
} from './fuzz-values.js';

// Pipeline executions, their history and the per-pipeline summaries.

const text = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 80) }).filter((s) => !s.includes('\u0000'));
const textNearMiss = (max: number) => fc.oneof(
  fc.constant(''),
  text(20).map((s) => `${s}\u0000`),
  fc.integer({ min: max + 1, max: max + 3000 }).map((n) => 'f'.repeat(n)),
);
export const rowCounts = fc.dictionary(text(30), fc.nat(), { maxKeys: 5 });
export const rowCountsNearMiss = fc.oneof(
  fc.dictionary(fc.oneof(text(10), fc.constantFrom('', '\u0000', 'a\u0000b', 'k'.repeat(201))), fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), oddNumber, anyJson), { minKeys: 1, maxKeys: 4 }),
  fc.integer({ min: 101, max: 300 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i]))),
);
const integerNearMiss = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), oddNumber, fc.constantFrom(0, -1, 1001, 1.5, 2 ** 53, '1', 'NaN', true, null, [1]));
const executionId = pathParam(ExecutionIdParams, 'execution_id', uuid, idNearMiss);
const encoded = (id: fc.Arbitrary<string>, extra: Partial<Parts> = {}) => id.map((v) => ({ path: { execution_id: encodeURIComponent(v) }, ...extra }));

const createBody = fc.record(
  { execution_id: uuid, pipeline_name: pipelineName, status: fc.constantFrom('pending', 'running'), started_at: timestamp, input_file: text(2048),
    attempt: fc.integer({ min: 1, max: 1000 }), row_counts: rowCounts, parent_execution_id: uuid, nominal_time: pastTimestamp },
  { requiredKeys: ['pipeline_name'] },
);

const label = text(200).filter((s) => s.trim().length > 0);
const putBody = fc.record(
  { description: fc.oneof(text(4000), fc.constant(null)), owner: fc.oneof(label, fc.constant(null)), team: label,
    tags: fc.uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,20}$/), { maxLength: 5 }),
    links: fc.array(fc.record({ title: text(200), url: fc.webUrl() }, { requiredKeys: ['url'] }), { maxLength: 3 }),
    schedule: fc.oneof(fc.constant(null), fc.constantFrom({ cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' }, { every: 'PT1H' }, { every: 'P1DT30M' })),
    archived: fc.boolean() },
  { requiredKeys: [] },
);
const pipelineList = fc.record(
  { window: windowValue, health: fc.constantFrom('healthy', 'failing', 'late', 'running', 'unknown'), owner: label, team: label, tag: fc.stringMatching(/^[a-z0-9]{1,10}$/),
    archived: fc.constantFrom('true', 'false', 'all'), q: text(50), limit: fc.integer({ min: 1, max: 500 }).map(String) },
  { requiredKeys: [] },
);

const early = fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date(Date.parse(RUNNING_SINCE) - 1), noInvalidDate: true }).map((d) => d.toISOString());
const event = fc.oneof(
  fc.record({ type: fc.constantFrom('start', 'cancel') }),
  fc.record({ type: fc.constant('progress'), row_counts: rowCounts }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('succeed'), row_counts: rowCounts, completed_at: pastTimestamp }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('fail'), error_details: text(65_536), row_counts: rowCounts, completed_at: pastTimestamp }, { requiredKeys: ['type', 'error_details'] }),
);
const STATUSES = Object.values(ExecutionStatus);

const listQuery = fc.record(
  { pipeline_name: pipelineName, status: fc.subarray(STATUSES, { minLength: 1 }), started_after: timestamp, started_before: timestamp,
    has_error: fc.constantFrom('true', 'false'), input_file: text(2048), sort: fc.constantFrom(...EXECUTION_SORTS), limit: fc.integer({ min: 1, max: 500 }).map(String) },
  { requiredKeys: [] },
);
const window = fc.record({ window: windowValue }, { requiredKeys: [] });

export function auditRoutes(fx: Fixtures): RouteSpec[] {
  return [
    {
      route: 'POST /v1/executions',
      scope: 'ingest',
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: {
        schema: CreateExecutionDto,
        valid: createBody,
        candidates: { execution_id: fc.oneof(idNearMiss, uuid), pipeline_name: nameNearMiss, status: fc.oneof(fc.constantFrom(...STATUSES, 'Running', ' running'), anyString),
          started_at: timestampNearMiss, input_file: textNearMiss(2048), attempt: integerNearMiss, row_counts: rowCountsNearMiss },
      },
      semantic: fc.oneof(
        // The id of an existing run with another body: 409, and the run is left as it was.
        fc.tuple(createBody, pipelineName.filter((n) => n !== fx.pipeline)).map(([b, name]) => ({ body: { ...b, execution_id: fx.succeeded, pipeline_name: name } })),
        fc.tuple(createBody, urnUuid).map(([b, id]) => ({ body: { ...b, execution_id: id } })),
      ),
    },
    {
      route: 'GET /v1/executions',
      scope: 'read',
      query: {
        schema: ListExecutionsQuery,
        valid: listQuery,
        candidates: { pipeline_name: nameNearMiss, status: fc.constantFrom('exploded', 'Running', '', 'running,failed', 'pending '), started_after: timestampNearMiss,
          started_before: timestampNearMiss, has_error: fc.constantFrom('yes', '1', 'TRUE', '', 'null'), input_file: textNearMiss(2048),
          sort: fc.constantFrom('pipeline_name', '+started_at', '-started_at ', 'started_at,-started_at'), limit: numberish, cursor: cursorNearMiss },
      },
      semantic: listingCursor('-started_at').map((cursor) => ({ query: { cursor } })),
    },
    {
      route: 'GET /v1/executions/{execution_id}',
      scope: 'read',
      path: { execution_id: executionId },
      query: { schema: NoQuery, valid: fc.constant({}) },
      semantic: fc.oneof(encoded(uuid), encoded(urnUuid)),
    },
    {
      route: 'POST /v1/executions/{execution_id}/events',
      scope: 'ingest',
      path: { execution_id: executionId },
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: {
        schema: ExecutionEventDto,
        valid: event,
        candidates: { type: fc.oneof(fc.constantFrom('explode', 'START', 'succeeded', 'start ', ''), anyString), row_counts: fc.oneof(rowCountsNearMiss, rowCounts),
          completed_at: fc.oneof(timestampNearMiss, timestamp), error_details: fc.oneof(textNearMiss(65_536), text(100)) },
      },
      semantic: fc.oneof(
        // Anything but a repeat of its own success on a succeeded run: 409.
        event.filter((e) => e.type !== 'succeed').map((body) => ({ path: { execution_id: fx.succeeded }, body })),
        // Completing a run before it started: 422.
        early.chain((at) => fc.constantFrom({ type: 'succeed', completed_at: at }, { type: 'fail', error_details: 'late', completed_at: at }))
          .map((body) => ({ path: { execution_id: fx.running }, body })),
        fc.tuple(encoded(uuid), event).map(([p, body]) => ({ ...p, body })),
        fc.tuple(encoded(urnUuid), event).map(([p, body]) => ({ ...p, body })),
      ),
    },
    {
      route: 'GET /v1/executions/{execution_id}/events',
      scope: 'read',
      path: { execution_id: executionId },
      query: { schema: ListEventsQuery, valid: fc.record({ limit: fc.integer({ min: 1, max: 1000 }).map(String) }, { requiredKeys: [] }), candidates: { limit: numberish, cursor: cursorNearMiss } },
      semantic: fc.oneof(
        encoded(uuid),
        encoded(urnUuid),
        historyCursor(fx.succeeded).map((cursor) => ({ path: { execution_id: fx.succeeded }, query: { cursor } })),
      ),
    },
    {
      route: 'GET /v1/pipelines',
      scope: 'read',
      query: {
        schema: ListPipelinesQuery,
        valid: pipelineList,
        candidates: { window: windowNearMiss, health: fc.constantFrom('Late', 'ok', '', 'late,failing'), archived: fc.constantFrom('yes', '1', ''), owner: textNearMiss(200),
          tag: textNearMiss(64), q: textNearMiss(512), limit: numberish, cursor: cursorNearMiss },
      },
      semantic: windowTooLong.map((w) => ({ query: { window: w } })),
    },
    {
      route: 'PUT /v1/pipelines/{pipeline_name}',
      scope: 'manage',
      // Any name the ledger may hold can be declared (a path like \..\ is a name, not a traversal): only names the schema refuses are refused.
      path: {
        pipeline_name: {
          valid: pipelineName.map(encodeURIComponent),
          invalid: fc.oneof(nameNearMiss, anyString).filter((v) => v.isWellFormed() && !textAccepts(PipelineParams, { pipeline_name: v })).map(encodeURIComponent),
        },
      },
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: {
        schema: PutPipelineDto,
        valid: putBody,
        candidates: { description: textNearMiss(4000), owner: textNearMiss(200), tags: fc.constantFrom([''], ['a b'], 'x', [1], Array.from({ length: 51 }, (_, i) => `t${i}`)),
          links: fc.constantFrom([{}], [{ url: 1 }], 'x', [{ url: 'https://x', extra: 1 }]), schedule: fc.constantFrom({}, { cron: '* * * * *' }, { every: 5 }, 'PT1H', { cron: 'x', timezone: 'UTC', every: 'PT1H' }),
          archived: fc.constantFrom('true', 1, null) },
      },
      // Valid by the schema, refused by the service: a bad cron, zone, duration or URL scheme.
      semantic: fc.constantFrom<unknown>(
        { schedule: { cron: '61 * * * *', timezone: 'UTC' } },
        { schedule: { cron: '0 6 * * *', timezone: 'Mars/Olympus' } },
        { schedule: { every: 'P1M' } },
        { schedule: { every: 'PT0S' } },
        { links: [{ url: 'javascript:alert(1)' }] },
      ).map((body) => ({ path: { pipeline_name: 'fuzz_semantic' }, body })),
    },
    {
      route: 'GET /v1/pipelines/{pipeline_name}',
      scope: 'read',
      path: { pipeline_name: pathParam(PipelineParams, 'pipeline_name', pipelineName, nameNearMiss) },
      query: { schema: PipelineQuery, valid: window, candidates: { window: windowNearMiss } },
      semantic: fc.oneof(
        fc.tuple(pipelineName.filter((n) => n !== fx.pipeline), window).map(([name, query]) => ({ path: { pipeline_name: encodeURIComponent(name) }, query })),
        windowTooLong.map((w) => ({ path: { pipeline_name: fx.pipeline }, query: { window: w } })),
      ),
    },
  ];
}
