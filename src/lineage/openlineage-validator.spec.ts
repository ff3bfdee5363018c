import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchemas, CORE_ID, retarget } from './openlineage-schemas.js';
import { isLenientDateTime, OpenLineageValidator } from './openlineage-validator.js';

const core = JSON.parse(readFileSync(new URL('./openlineage/spec/OpenLineage.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validator = new OpenLineageValidator();

const run = (extra: Record<string, unknown> = {}) => ({
  eventType: 'START',
  eventTime: '2026-11-21T10:00:00Z',
  producer: 'https://example.com/producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: '0193e0a0-0000-7000-8000-000000000001' },
  job: { namespace: 'ns', name: 'job' },
  ...extra,
});
const facet = (fields: Record<string, unknown>) => ({ _producer: 'https://example.com/p', _schemaURL: 'https://example.com/s', ...fields });

// A facet schema in the older style: its own definitions under `definitions`, and a $ref to another
// version of the core schema, also under `definitions`.
const oldStyleFacet = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.com/facets/1-0-0/LegacyRunFacet.json',
  definitions: {
    LegacyRunFacet: {
      allOf: [
        { $ref: 'https://openlineage.io/spec/1-0-5/OpenLineage.json#/definitions/RunFacet' },
        { type: 'object', properties: { attempt: { type: 'integer' } }, required: ['attempt'] },
      ],
    },
  },
  type: 'object',
  properties: { legacy: { $ref: '#/definitions/LegacyRunFacet' } },
};

describe('the OpenLineage validator', () => {
  it('accepts a minimal run event, and refuses a runId that is not a UUID with a pointer to it', () => {
    expect(validator.validate(run())).toEqual([]);
    expect(validator.validate(run({ run: { runId: 'run-42' } }))).toEqual([{ in: 'body', pointer: '/run/runId', detail: 'must match format "uuid"' }]);
  });

  it('is lenient where real producers are: no schemaURL, no eventType, no zone, nanoseconds', () => {
    const { schemaURL: _, eventType: __, ...bare } = run();
    expect(validator.validate(bare)).toEqual([]);
    expect(validator.validate(run({ eventTime: '2026-11-21T10:00:00.123456789' }))).toEqual([]);
    expect(validator.validate(run({ eventTime: '2026-11-21T10:00:00+0200' }))).toEqual([]);
    expect(validator.validate(run({ eventTime: 'yesterday' }))[0].pointer).toBe('/eventTime');
  });

  it('validates the facets it knows where they belong, and only the base fields of others', () => {
    const stats = (rowCount: unknown) => run({ outputs: [{ namespace: 'db', name: 't', outputFacets: { outputStatistics: facet({ rowCount }) } }] });
    expect(validator.validate(stats(5))).toEqual([]);
    expect(validator.validate(stats('5'))).toEqual([{ in: 'body', pointer: '/outputs/0/outputFacets/outputStatistics/rowCount', detail: 'must be integer' }]);
    expect(validator.validate(run({ run: { runId: run().run.runId, facets: { custom: facet({ anything: [1] }) } } }))).toEqual([]);
    expect(validator.validate(run({ run: { runId: run().run.runId, facets: { custom: { anything: 1 } } } })).map((p) => p.pointer)).toEqual([
      '/run/facets/custom/_producer',
      '/run/facets/custom/_schemaURL',
    ]);
  });

  it('accepts dataQualityMetrics with a rowCount but no columnMetrics, and refuses one with neither', () => {
    const dq = (fields: Record<string, unknown>) => run({ inputs: [{ namespace: 'db', name: 't', inputFacets: { dataQualityMetrics: facet(fields) } }] });
    expect(validator.validate(dq({ rowCount: 10 }))).toEqual([]);
    expect(validator.validate(dq({ columnMetrics: {} }))).toEqual([]);
    expect(validator.validate(dq({ bytes: 10 })).map((p) => p.pointer)).toContain('/inputs/0/inputFacets/dataQualityMetrics/columnMetrics');
  });

  it('reports against the event type the body means, and says so when it is none', () => {
    expect(validator.validate({ eventTime: '2026-11-21T10:00:00Z', producer: 'https://p', job: { namespace: 'ns' } })).toEqual([
      { in: 'body', pointer: '/job/name', detail: 'is required' },
    ]);
    expect(validator.validate({ eventTime: '2026-11-21T10:00:00Z', producer: 'https://p' })[0].detail).toMatch(/not an OpenLineage event/);
    expect(validator.validate([run()])).toEqual([{ in: 'body', pointer: '/', detail: 'must be an OpenLineage event (a JSON object)' }]);
  });

  it('resolves facet schemas that use draft-07 `definitions` and refer to another core version', () => {
    expect(retarget({ $ref: 'https://openlineage.io/spec/1-0-5/OpenLineage.json#/definitions/RunFacet' })).toEqual({ $ref: `${CORE_ID}#/$defs/RunFacet` });
    const legacy = new OpenLineageValidator(buildSchemas(core, [oldStyleFacet]));
    const withLegacy = (fields: Record<string, unknown>) => run({ run: { runId: run().run.runId, facets: { legacy: facet(fields) } } });
    expect(legacy.validate(withLegacy({ attempt: 2 }))).toEqual([]);
    expect(legacy.validate(withLegacy({}))).toEqual([{ in: 'body', pointer: '/run/facets/legacy/attempt', detail: 'is required' }]);
    expect(legacy.validate({ ...withLegacy({ attempt: 2 }), run: { runId: run().run.runId, facets: { legacy: { attempt: 2 } } } }).map((p) => p.pointer)).toContain(
      '/run/facets/legacy/_producer',
    );
  });
});

describe('isLenientDateTime', () => {
  it.each([
    ['2026-11-21T10:00:00Z', true],
    ['2026-11-21T10:00:00.1234567890+05:30', true],
    ['2026-11-21t10:00:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2026-02-29T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-11-21T24:00:00Z', false],
    ['2026-11-21 10:00:00Z', false],
    ['2026-11-21T10:00:00+24:00', false],
  ])('%s: %s', (value, ok) => {
    expect(isLenientDateTime(value)).toBe(ok);
  });
});
