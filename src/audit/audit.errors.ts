import { DomainError } from '../common/domain-error.js';
import type { ExecutionStatus } from './execution-status.js';
import type { TransitionType } from './execution-state-machine.js';

export class ExecutionNotFoundError extends DomainError {
  readonly code = 'AUDIT.EXECUTION_NOT_FOUND';
  constructor(id: string) {
    super(`no execution ${id}`);
  }
}

export class ExecutionIdConflictError extends DomainError {
  readonly code = 'AUDIT.EXECUTION_ID_CONFLICT';
  constructor(id: string) {
    super(`execution ${id} already exists with a different body; a retry must repeat the original request exactly`);
  }
}

export class IllegalTransitionError extends DomainError {
  readonly code = 'AUDIT.ILLEGAL_TRANSITION';
  override readonly extensions: Record<string, unknown>;
  constructor(type: TransitionType, current: ExecutionStatus) {
    super(`cannot ${type} an execution that is ${current}`);
    this.extensions = { current_status: current };
  }
}

export class InvalidTransitionInputError extends DomainError {
  readonly code = 'AUDIT.INVALID_TRANSITION_INPUT';
  constructor(message: string) {
    super(message);
  }
}

export class PipelineNotFoundError extends DomainError {
  readonly code = 'AUDIT.PIPELINE_NOT_FOUND';
  constructor(name: string) {
    super(`no pipeline ${name}: neither declared (PUT) nor run`);
  }
}

/**
 * The root of a report's parent tree moved to a run another transaction holds (RunReportsService.closesCycle):
 * its transaction starts over. Seen by a client only when it did so too often: 503, nothing written, retry.
 */
export class ParentRootBusyError extends DomainError {
  readonly code = 'DATABASE.UNAVAILABLE';
  constructor(parentId: string) {
    super(`the parent runs of ${parentId} kept changing; retry`);
  }
}
