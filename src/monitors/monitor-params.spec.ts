import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { checkSeverity, nextDeadline, normaliseParams } from './monitor-params.js';
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

describe('monitor params: validated and stored canonical', () => {
  it.each([
    ['run_failed', undefined, {}],
    ['freshness', { max_age: 'PT1560M' }, { max_age: 'P1DT2H' }],
    ['freshness', { timezone: 'UTC', cron: ' 0  6 * * 1-5 ' }, { cron: '0 6 * * 1-5', timezone: 'UTC', grace: 'PT0S' }],
    ['freshness', { cron: '0 6 * * *', timezone: 'Europe/Berlin', grace: 'PT900S' }, { cron: '0 6 * * *', timezone: 'Europe/Berlin', grace: 'PT15M' }],
    ['freshness', { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT0S' }, { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT0S' }],
    ['freshness', { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT0M' }, { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT0S' }],
    ['freshness', { cron: '0 6 * * *', timezone: 'UTC', grace: 'P0DT0H' }, { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT0S' }],
    ['freshness', { auto: true }, { auto: true }],
    ['duration', { factor: 2.5 }, { factor: 2.5, runs: 20 }],
    ['duration', { max_duration: 'PT90M' }, { max_duration: 'PT1H30M' }],
    ['stalled', { stall_after: 'PT0.5S' }, { stall_after: 'PT0.5S' }],
  ] as const)('%s %j → %j', (kind, raw, expected) => {
    expect(normaliseParams(kind, raw)).toEqual(expected);
  });

  it('names the field, prefixed for an item of a monitors file', () => {
    expect(pointerOf(() => normaliseParams('freshness', { max_age: 'PT0S' }, '/monitors/4'))).toBe('/monitors/4/params/max_age');
    expect(pointerOf(() => normaliseParams('duration', { factor: 2, runs: 3.5 }))).toBe('/params/runs');
    expect(pointerOf(() => normaliseParams('freshness', { cron: '0 6 * * *', timezone: 'UTC', grace: 'PT' }))).toBe('/params/grace');
    expect(pointerOf(() => normaliseParams('freshness', { cron: '0 6 * * *', timezone: 'UTC', grace: 0 }))).toBe('/params/grace');
    expect(pointerOf(() => normaliseParams('freshness', { max_age: 'PT0M' }))).toBe('/params/max_age');
    expect(pointerOf(() => normaliseParams('stalled', { stall_after: 'PT1M', extra: 1 }))).toBe('/params/extra');
    expect(pointerOf(() => checkSeverity('freshness', { auto: true }, 'critical'))).toBe('/severity');
    expect(pointerOf(() => checkSeverity('freshness', { auto: true }, 'warning'))).toBeUndefined();
  });

  it('the next deadline is read in the time zone, across the autumn DST change in New York', () => {
    // 2026-11-01: New York falls back from EDT (UTC-4) to EST (UTC-5) at 02:00.
    const params = { cron: '30 6 * * *', timezone: 'America/New_York', grace: 'PT10M' };
    expect(nextDeadline(params, new Date('2026-10-31T12:00:00Z'))).toEqual({ occurrence: new Date('2026-11-01T11:30:00Z'), deadline: new Date('2026-11-01T11:40:00Z') });
    expect(nextDeadline(params, new Date('2026-10-30T12:00:00Z'))?.occurrence).toEqual(new Date('2026-10-31T10:30:00Z'));
  });
});

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
