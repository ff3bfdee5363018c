import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { normaliseParams } from './monitor-params.js';
import { normaliseTarget } from './monitor-target.js';

const pointerOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof InvalidRequestError) return (error.extensions.errors as { pointer: string }[])[0].pointer;
    throw error;
  }
  return undefined;
};

describe('data monitor params: validated and stored canonical', () => {
  it.each([
    ['metric_threshold', { max: 10, metric_type: ' row_count ' }, { metric_type: 'row_count', max: 10 }],
    ['metric_threshold', { max_change_pct: 50, min: 0, metric_type: 'm' }, { metric_type: 'm', min: 0, max_change_pct: 50 }],
    ['test_failed', undefined, {}],
    [
      'metric_anomaly',
      { metric_type: 'row_count' },
      { metric_type: 'row_count', seasonality: 'none', direction: 'both', training: 'P28D', sensitivity: 3.5, min_abs_change: 0, min_rel_change: 0.1 },
    ],
    [
      'metric_anomaly',
      { metric_type: 'row_count', seasonality: 'day_of_week', training: 'PT840H', direction: 'drop', sensitivity: 5 },
      { metric_type: 'row_count', seasonality: 'day_of_week', direction: 'drop', training: 'P35D', sensitivity: 5, min_abs_change: 0, min_rel_change: 0.1 },
    ],
  ] as const)('%s %j → %j', (kind, raw, expected) => {
    expect(normaliseParams(kind, raw)).toEqual(expected);
  });

  it('names the field of a bad param', () => {
    expect(pointerOf(() => normaliseParams('metric_threshold', { metric_type: 'm', min: 5, max: 1 }))).toBe('/params/min');
    expect(pointerOf(() => normaliseParams('metric_threshold', { metric_type: 'm' }))).toBe('/params');
    expect(pointerOf(() => normaliseParams('metric_threshold', { min: 1 }))).toBe('/params/metric_type');
    expect(pointerOf(() => normaliseParams('metric_threshold', { metric_type: 'm', max_change_pct: 0 }))).toBe('/params/max_change_pct');
    expect(pointerOf(() => normaliseParams('metric_anomaly', { metric_type: 'm', seasonality: 'monthly' }))).toBe('/params/seasonality');
    expect(pointerOf(() => normaliseParams('metric_anomaly', { metric_type: 'm', direction: 'up' }))).toBe('/params/direction');
    expect(pointerOf(() => normaliseParams('metric_anomaly', { metric_type: 'm', seasonality: 'day_of_week', training: 'P14D' }))).toBe('/params/training');
    expect(pointerOf(() => normaliseParams('metric_anomaly', { metric_type: 'm', sensitivity: 0 }))).toBe('/params/sensitivity');
    expect(pointerOf(() => normaliseParams('metric_anomaly', { metric_type: 'm', min_rel_change: -1 }))).toBe('/params/min_rel_change');
    expect(pointerOf(() => normaliseParams('test_failed', { assertion: 'x' }, '/monitors/2'))).toBe('/monitors/2/params/assertion');
  });
});

describe('monitor targets', () => {
  it('run kinds need a pipeline and take no dataset; data kinds take a pipeline, a dataset or a column', () => {
    expect(pointerOf(() => normaliseTarget('freshness', {}))).toBe('/pipeline_name');
    expect(pointerOf(() => normaliseTarget('run_failed', { pipeline_name: 'p', dataset_namespace: 'ns', dataset_name: 't' }))).toBe('/dataset_namespace');
    expect(pointerOf(() => normaliseTarget('metric_threshold', {}))).toBe('/pipeline_name');
    expect(pointerOf(() => normaliseTarget('metric_threshold', { dataset_name: 't' }))).toBe('/dataset_namespace');
    expect(pointerOf(() => normaliseTarget('metric_threshold', { pipeline_name: 'p', column: 'c' }))).toBe('/dataset_name');
    expect(normaliseTarget('test_failed', { dataset_namespace: 'ns', dataset_name: 't', column: 'c' })).toEqual({ pipeline_name: null, dataset_namespace: 'ns', dataset_name: 't', column: 'c' });
    expect(normaliseTarget('metric_anomaly', { pipeline_name: 'p' })).toEqual({ pipeline_name: 'p', dataset_namespace: null, dataset_name: null, column: null });
  });
});
