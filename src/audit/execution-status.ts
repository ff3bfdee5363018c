export enum ExecutionStatus {
  Pending = 'pending',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

/** Statuses an execution can still leave; every other status is terminal and carries a completed_at. */
export const ACTIVE_STATUSES: readonly ExecutionStatus[] = [ExecutionStatus.Pending, ExecutionStatus.Running];
