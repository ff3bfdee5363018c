import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import { NoQuery } from '../../src/http/schemas.js';
import { OpenLineageBatchBody } from '../../src/lineage/dto/lineage.dto.js';
import { LineageReader } from '../../src/lineage/lineage-reader.js';
import { OpenLineageValidator } from '../../src/lineage/openlineage-validator.js';
import type { RouteSpec } from './fuzz-requests.js';
import { anyJson, anyString, deepJson, oddNumber, parseBody, pastTimestamp, Raw, timestampNearMiss, toJson, uuidNearMiss } from './fuzz-values.js';

// OpenLineage ingestion. The route's schema takes any JSON object (or array); the service validates events
// against the OpenLineage schema itself. Generated events that must be refused are therefore filtered
// through the service's own reader (semantic), and the body families through BODY below, a schema that
// refuses only what the service refuses too (it is more lenient everywhere else).

const reader = new LineageReader(new OpenLineageValidator(), 300_000);
/** Whether the service refuses `event` as sent over the wire (JSON text, parsed as Fastify parses it). */
const refused = (event: unknown) => {
  try {
    return Array.isArray(reader.read(parseBody(toJson(event)), '', Date.now()));
  } catch {
    return true;
  }
};

// Text jsonb can store: no NUL, no lone surrogate (the pattern is compiled with the u flag).
const TEXT = { type: 'string', pattern: '^[^\\u0000\\ud800-\\udfff]*$' };
const NAMED = { type: 'object', required: ['namespace', 'name'], properties: { namespace: TEXT, name: TEXT }, propertyNames: TEXT, additionalProperties: { $ref: '#/definitions/json' } };
/** Refuses what every OpenLineage event must be or have; anything else it takes (extra fields, any facets). */
const BODY = {
  type: 'object',
  definitions: {
    json: {
      anyOf: [
        { type: ['null', 'boolean'] },
        { type: 'number', minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE },
        TEXT,
        { type: 'array', items: { $ref: '#/definitions/json' } },
        { type: 'object', propertyNames: TEXT, additionalProperties: { $ref: '#/definitions/json' } },
      ],
    },
  },
  required: ['eventTime', 'producer'],
  anyOf: [{ required: ['job'] }, { required: ['dataset'] }],
  // Only a run event's eventType is one of the six: job events may carry anything there.
  if: { required: ['run'] },
  then: { properties: { eventType: { enum: ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] } } },
  properties: {
    eventTime: TEXT,
    producer: TEXT,
    run: { type: 'object', required: ['runId'], properties: { runId: { type: 'string', format: 'uuid' } }, propertyNames: TEXT, additionalProperties: { $ref: '#/definitions/json' } },
    job: NAMED,
    inputs: { type: 'array', items: NAMED },
    outputs: { type: 'array', items: NAMED },
  },
  propertyNames: TEXT,
  additionalProperties: { $ref: '#/definitions/json' },
} as unknown as TSchema;

const facet = (fields: Record<string, unknown>) => ({ _producer: 'https://p', _schemaURL: 'https://s', ...fields });
const validEvent = fc.record({
  eventType: fc.constantFrom('START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT', 'OTHER'),
  eventTime: pastTimestamp,
  producer: fc.constant('https://github.com/OpenLineage/OpenLineage'),
  run: fc.uuid().map((runId) => ({ runId, facets: { parent: facet({ run: { runId: '01936f00-0000-7000-8000-00000000f0aa' }, job: { namespace: 'a', name: 'b' } }) } })),
  job: fc.record({ namespace: fc.constantFrom('airflow', 'dbt prod'), name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !s.includes('\u0000')) }),
  outputs: fc.nat(10_000).map((rowCount) => [{ namespace: 's3://lake', name: 'orders', outputFacets: { outputStatistics: facet({ rowCount }) } }]),
});

/** One thing wrong at one place of an otherwise valid event (a field replaced or removed). */
const PLACES: Record<string, fc.Arbitrary<unknown>> = {
  eventTime: fc.oneof(timestampNearMiss, anyJson, fc.constantFrom('2999-12-31T00:00:00Z', '2016-12-31T23:59:60Z', '1899-12-31T23:59:59Z')),
  producer: fc.oneof(anyJson, fc.constantFrom('not a uri', '')),
  eventType: fc.oneof(anyString, anyJson, fc.constantFrom('start', 'COMPLETED', '')),
  run: fc.oneof(anyJson, uuidNearMiss.map((runId) => ({ runId })), fc.constant({})),
  job: fc.oneof(anyJson, fc.constantFrom({}, { namespace: 'a' }, { namespace: ' ', name: 'x' }, { namespace: 'a', name: 'x\u0000' }, { namespace: 'a', name: 'x'.repeat(600) })),
  outputs: fc.oneof(anyJson, fc.oneof(anyString, oddNumber, fc.constantFrom(-1.5, '7', null)).map((rowCount) => [{ namespace: 's3', name: 'o', outputFacets: { outputStatistics: facet({ rowCount }) } }])),
  inputs: fc.oneof(anyJson, fc.constant([{ namespace: 'pg', name: 't', inputFacets: { dataQualityMetrics: facet({ bytes: 1 }) } }])),
  deep: deepJson,
};

const broken = fc.tuple(validEvent, fc.constantFrom(...Object.keys(PLACES)), fc.boolean()).chain(([event, place, remove]) => {
  if (remove && place in event) {
    const { [place as keyof typeof event]: _, ...rest } = event;
    return fc.constant(rest as Record<string, unknown>);
  }
  return PLACES[place].map((value) => (place === 'deep' ? { ...event, run: { ...event.run, facets: { custom: value } } } : { ...event, [place]: value }));
}).filter(refused);

const nul = fc.constantFrom({ job: { namespace: 'a\u0000', name: 'b' } }, { producer: '\ud800' }, { extra: new Raw('1e400') });
const invalid = fc.oneof({ weight: 9, arbitrary: broken }, { weight: 1, arbitrary: fc.tuple(validEvent, nul).map(([e, bad]) => ({ ...e, ...bad })).filter(refused) });

export function lineageRoutes(): RouteSpec[] {
  return [
    {
      route: 'POST /api/v1/lineage',
      scope: 'ingest',
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: { schema: BODY, valid: validEvent, candidates: { eventTime: PLACES.eventTime, producer: PLACES.producer, eventType: PLACES.eventType, run: PLACES.run, job: PLACES.job, outputs: PLACES.outputs } },
      semantic: invalid.map((body) => ({ body })),
    },
    {
      route: 'POST /api/v1/lineage/batch',
      scope: 'ingest',
      query: { schema: NoQuery, valid: fc.constant({}) },
      // A body family's change turns the array into an object, which the route refuses.
      body: { schema: OpenLineageBatchBody, valid: fc.array(validEvent, { minLength: 1, maxLength: 3 }) as unknown as fc.Arbitrary<Record<string, unknown>>, candidates: { 0: anyJson } },
      // Only batches in which no event is valid: any valid event would be recorded (a batch is per event).
      semantic: fc.oneof(
        { weight: 20, arbitrary: fc.array(invalid, { minLength: 1, maxLength: 4 }).map((body) => ({ body })) },
        { weight: 2, arbitrary: fc.constantFrom([], {}, 'events').map((body) => ({ body })) },
        { weight: 1, arbitrary: validEvent.map((e) => ({ body: Array.from({ length: 1001 }, () => e) })) },
      ),
    },
  ];
}
