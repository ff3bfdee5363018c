import { DomainError } from '../common/domain-error.js';
import type { IncidentStatus, ManualAction } from './incident-transitions.js';

export class IncidentNotFoundError extends DomainError {
  readonly code = 'INCIDENTS.NOT_FOUND';
  constructor(id: string) {
    super(`no incident ${id}`);
  }
}

/** A manual action the transition table refuses from the incident's status (docs/incidents.md). */
export class IllegalIncidentTransitionError extends DomainError {
  readonly code = 'INCIDENTS.ILLEGAL_TRANSITION';
  override readonly extensions: Record<string, unknown>;
  constructor(action: ManualAction, current: IncidentStatus) {
    super(`cannot ${action} an incident that is ${current}`);
    this.extensions = { current_status: current };
  }
}

/** Reopening a resolved incident whose problem already has a newer unresolved incident. */
export class IncidentAlreadyOpenError extends DomainError {
  readonly code = 'INCIDENTS.ALREADY_OPEN';
  constructor(id: string) {
    super(`incident ${id} cannot reopen: a newer incident of the same problem is unresolved`);
  }
}

/** accept-baseline on an incident that is not a metric_anomaly's (or has no series to re-baseline). */
export class NotAnomalyIncidentError extends DomainError {
  readonly code = 'INCIDENTS.NOT_ANOMALY';
  override readonly expose = true;
  constructor(id: string, kind: string) {
    super(`incident ${id} is a ${kind} incident: accept-baseline is for metric_anomaly incidents only`);
  }
}
