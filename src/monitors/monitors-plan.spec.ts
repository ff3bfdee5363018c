import { describe, expect, it } from '@jest/globals';
import type { MonitorResponse } from './dto/monitor.dto.js';
import { changesOf, describeChange, planApply } from './monitors-plan.js';

const monitor = (id: string, pipeline: string): MonitorResponse =>
  ({ id, name: null, pipeline_name: pipeline, kind: 'run_failed', severity: 'critical', params: {}, resolve_after: 1, enabled: true }) as unknown as MonitorResponse;

describe('planApply: monitors apply\'s plan', () => {
  it('an unmatched monitor apply owns is disabled; one made through the API is kept, listed last and not a change', () => {
    const plan = planApply([monitor('a', 'hand_made'), monitor('b', 'owned')], [], new Set(['b']));
    expect(plan.map((c) => c.op)).toEqual(['disable', 'keep']);
    expect(changesOf(plan).map((c) => c.op)).toEqual(['disable']);
    expect(describeChange(plan[1])).toBe('= keep a: run_failed on "hand_made" {} critical: kept (created through the API)');
  });
});
