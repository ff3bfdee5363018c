import { describe, expect, it } from '@jest/globals';
import { LineageReader, rowCountsOf, type ParsedEvent } from './lineage-reader.js';
import { OpenLineageValidator } from './openlineage-validator.js';
import { qualityMetricCount, qualityMetrics } from './quality-facets.js';

const reader = new LineageReader(new OpenLineageValidator(), 60_000);
const NOW = Date.parse('2026-11-21T12:00:00Z');
const RUN = '0193E0A0-0000-7000-8000-00000000000A';
const facet = (fields: Record<string, unknown>) => ({ _producer: 'https://p', _schemaURL: 'https://s', ...fields });
const event = (extra: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-21T11:00:00Z',
  producer: 'https://p',
  run: { runId: RUN },
  job: { namespace: 'airflow prod', name: 'orders_dag.load 🕷' },
  ...extra,
});
const read = (body: unknown, at = '') => reader.read(body, at, NOW) as ParsedEvent;

describe('LineageReader', () => {
  it('maps a run event: run id in lower case, pipeline "namespace/name", transition, time', () => {
    const e = read(event());
    expect(e).toMatchObject({ kind: 'run', eventType: 'COMPLETE', runId: RUN.toLowerCase(), jobNamespace: 'airflow prod', eventTime: { iso: '2026-11-21T11:00:00Z' } });
    expect(e.run).toMatchObject({ transition: 'succeed', pipelineName: 'airflow prod/orders_dag.load 🕷', parentId: null, errorDetails: null });
  });

  it.each([
    ['START', 'start'],
    ['RUNNING', 'progress'],
    ['COMPLETE', 'succeed'],
    ['FAIL', 'fail'],
    ['ABORT', 'cancel'],
  ])('%s moves the run by %s; OTHER and no eventType move nothing', (type, transition) => {
    expect(read(event({ eventType: type })).run?.transition).toBe(transition);
    expect(read(event({ eventType: 'OTHER' })).run).toBeNull();
    const { eventType: _, ...untyped } = event();
    expect(read(untyped)).toMatchObject({ eventType: null, run: null });
  });

  it('takes the parent run from the parent facet, and the errorMessage facet on FAIL only', () => {
    const parent = { parent: facet({ run: { runId: `urn:uuid:${RUN.replace('A', 'B')}` }, job: { namespace: 'airflow', name: 'dag' } }) };
    const error = { errorMessage: facet({ message: 'boom', programmingLanguage: 'PYTHON', stackTrace: 'Traceback…' }) };
    const failed = read(event({ eventType: 'FAIL', run: { runId: RUN, facets: { ...parent, ...error } } }));
    expect(failed.run).toMatchObject({ parentId: RUN.replace('A', 'B').toLowerCase() });
    expect(JSON.parse(failed.run?.errorDetails ?? '')).toEqual({ message: 'boom', programmingLanguage: 'PYTHON', stackTrace: 'Traceback…' });
    expect(read(event({ run: { runId: RUN, facets: error } })).run?.errorDetails).toBeNull();
  });

  it('refuses a run that names itself as its parent (urn:uuid: and case aside), naming the field', () => {
    const self = { parent: facet({ run: { runId: `urn:uuid:${RUN.toLowerCase()}` }, job: { namespace: 'a', name: 'b' } }) };
    const detail = 'must not be the run itself (run.runId)';
    expect(reader.read(event({ run: { runId: RUN, facets: self } }), '/1', NOW)).toEqual([{ in: 'body', pointer: '/1/run/facets/parent/run/runId', detail }]);
    expect(reader.read(event({ eventType: 'OTHER', run: { runId: RUN, facets: self } }), '', NOW)).toEqual([
      { in: 'body', pointer: '/run/facets/parent/run/runId', detail },
    ]);
  });

  it('refuses blank job names, pipeline names over 512 characters, and event times too far ahead', () => {
    expect(reader.read(event({ job: { namespace: ' ', name: 'x' } }), '/2', NOW)).toEqual([{ in: 'body', pointer: '/2/job/namespace', detail: 'must not be blank' }]);
    expect(reader.read(event({ job: { namespace: 'n', name: 'x'.repeat(511) } }), '', NOW)).toEqual([
      { in: 'body', pointer: '/job/name', detail: expect.stringMatching(/at most 511/) },
    ]);
    expect(reader.read(event({ eventTime: '2026-11-21T12:01:00.001Z' }), '', NOW)).toEqual([
      { in: 'body', pointer: '/eventTime', detail: 'is more than 60000 ms in the future' },
    ]);
    expect(reader.read(event({ run: {} }), '/0', NOW)).toEqual([{ in: 'body', pointer: '/0/run/runId', detail: 'is required' }]);
  });
});

describe('row counts and quality metrics of a run event', () => {
  const inputs = [
    { namespace: 'pg://db', name: 'public.orders', inputFacets: { inputStatistics: facet({ rowCount: 120 }), dataQualityMetrics: facet({ rowCount: 120, columnMetrics: { id: { nullCount: 0, quantiles: { '0.5': 7 } } } }) } },
    { namespace: 'pg://db', name: 'public.unknown', inputFacets: { inputStatistics: facet({ rowCount: -1 }), dataQualityAssertions: facet({ assertions: [{ assertion: 'not_null', success: false, column: 'id' }] }) } },
  ];
  const outputs = [{ namespace: 's3://lake', name: 'orders/', outputFacets: { outputStatistics: facet({ rowCount: 118, size: 9 }) }, facets: { dataQualityMetrics: facet({ bytes: 9, columnMetrics: {} }) } }];

  it('keys row counts by role, namespace and name, and skips counts the API cannot show (-1 for unknown)', () => {
    expect(rowCountsOf(inputs, outputs)).toEqual({ 'input:pg://db/public.orders': 120, 'output:s3://lake/orders/': 118 });
  });

  it('makes one metric per measure, column and quantile, one per assertion (1 or 0), and one per statistic the metrics facet did not give, each of its dataset and column', () => {
    const metrics = qualityMetrics(inputs, outputs, 'ev-1');
    expect(metrics.map((m) => [m.metric_type, m.metric_value, m.dataset_namespace, m.dataset_name, m.column_name])).toEqual([
      ['row_count', 120, 'pg://db', 'public.orders', null],
      ['column.null_count', 0, 'pg://db', 'public.orders', 'id'],
      ['column.quantile', 7, 'pg://db', 'public.orders', 'id'],
      ['assertion', 0, 'pg://db', 'public.unknown', 'id'],
      ['bytes', 9, 's3://lake', 'orders/', null],
      ['row_count', 118, 's3://lake', 'orders/', null],
    ]);
    expect(metrics[2].metadata).toEqual({
      source: 'openlineage', lineage_event_id: 'ev-1', facet: 'dataQualityMetrics', role: 'input',
      dataset: { namespace: 'pg://db', name: 'public.orders' }, column: 'id', quantile: '0.5',
    });
    expect(metrics[3].metadata).toMatchObject({ facet: 'dataQualityAssertions', column: 'id', assertion: { assertion: 'not_null', success: false, column: 'id' } });
    expect(metrics[4].metadata).toMatchObject({ role: 'output', dataset: { namespace: 's3://lake', name: 'orders/' } });
    expect(metrics[5].metadata).toMatchObject({ facet: 'outputStatistics', role: 'output' });
  });

  it('counts exactly the metrics it would make, and the reader carries that count for the caps', () => {
    expect(qualityMetricCount(inputs, outputs)).toBe(qualityMetrics(inputs, outputs, 'ev-1').length);
    expect(read(event({ inputs, outputs })).run?.metricCount).toBe(6);
  });
});
