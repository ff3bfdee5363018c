import { sameJson } from '../common/json.js';
import { ExecutionStatus } from './execution-status.js';

export const TRANSITION_TYPES = ['start', 'progress', 'succeed', 'fail', 'cancel'] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];

interface Rule {
  from: readonly ExecutionStatus[];
  to: ExecutionStatus;
}

const { Pending, Running, Succeeded, Failed, Cancelled } = ExecutionStatus;

/**
 * The lifecycle: pending → running | failed | cancelled; running → running (progress) | succeeded |
 * failed | cancelled. Succeeded, failed and cancelled are terminal.
 */
export const TRANSITIONS: Record<TransitionType, Rule> = {
  start: { from: [Pending], to: Running },
  progress: { from: [Running], to: Running },
  succeed: { from: [Running], to: Succeeded },
  fail: { from: [Pending, Running], to: Failed },
  cancel: { from: [Pending, Running], to: Cancelled },
};

/** The statuses a run ends in; the others are open (it may still change). */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = [Succeeded, Failed, Cancelled];
export const OPEN_STATUSES: readonly ExecutionStatus[] = [Pending, Running];

export function isTerminal(status: ExecutionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The transitions that end a run (succeed, fail, cancel): the history entry that explains its final status. */
export const ENDING_TRANSITIONS: readonly TransitionType[] = TRANSITION_TYPES.filter((type) => isTerminal(TRANSITIONS[type].to));

export function canApply(type: TransitionType, current: ExecutionStatus): boolean {
  return TRANSITIONS[type].from.includes(current);
}

export interface LastEvent {
  type: string;
  payload: unknown;
}

/**
 * A transition that cannot apply is either the retry of the terminal transition that already happened
 * (same type, same payload: answered 200, nothing changes) or a conflict (409).
 */
export function isRepeatOfTerminal(
  type: TransitionType,
  current: ExecutionStatus,
  payload: unknown,
  last: LastEvent | undefined,
): boolean {
  return isTerminal(current) && TRANSITIONS[type].to === current && last?.type === type && sameJson(last.payload, payload);
}
