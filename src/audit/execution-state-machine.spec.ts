import { describe, expect, it } from '@jest/globals';
import { ExecutionStatus } from './execution-status.js';
import { sameJson } from '../common/json.js';
import { canApply, isRepeatOfTerminal, TRANSITION_TYPES, type TransitionType } from './execution-state-machine.js';

const { Pending, Running, Succeeded, Failed, Cancelled } = ExecutionStatus;

// Every (status, transition) pair: the legal ones are exactly those the lifecycle allows.
const LEGAL: Record<ExecutionStatus, TransitionType[]> = {
  [Pending]: ['start', 'fail', 'cancel'],
  [Running]: ['progress', 'succeed', 'fail', 'cancel'],
  [Succeeded]: [],
  [Failed]: [],
  [Cancelled]: [],
};

describe('execution state machine', () => {
  for (const status of Object.values(ExecutionStatus)) {
    for (const type of TRANSITION_TYPES) {
      const legal = LEGAL[status].includes(type);
      it(`${type} from ${status} is ${legal ? 'legal' : 'illegal'}`, () => {
        expect(canApply(type, status)).toBe(legal);
      });
    }
  }

  it('recognises a retried terminal transition only with the same type and payload', () => {
    const last = { type: 'succeed', payload: { row_counts: { written: 5 } } };
    expect(isRepeatOfTerminal('succeed', Succeeded, { row_counts: { written: 5 } }, last)).toBe(true);
    expect(isRepeatOfTerminal('succeed', Succeeded, { row_counts: { written: 6 } }, last)).toBe(false);
    expect(isRepeatOfTerminal('fail', Succeeded, { error_details: 'x' }, last)).toBe(false);
    expect(isRepeatOfTerminal('succeed', Running, { row_counts: { written: 5 } }, last)).toBe(false);
    expect(isRepeatOfTerminal('succeed', Succeeded, {}, undefined)).toBe(false);
  });

  it('compares JSON payloads regardless of key order', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: null }, { a: null })).toBe(true);
  });
});
