import { DomainError } from '../common/domain-error.js';
import type { InvalidParam } from '../common/problem.js';

/** Metrics that name executions we do not know: 422, with the index and field of each. */
export class UnknownExecutionError extends DomainError {
  readonly code = 'QUALITY.UNKNOWN_EXECUTION';
  override readonly extensions: Record<string, unknown>;
  constructor(params: InvalidParam[]) {
    super(`${params.length} metric(s) name an execution that does not exist`);
    this.extensions = { errors: params };
  }
}

/** A dataset no metric names (GET /v1/datasets/{namespace}/{name}). */
export class DatasetNotFoundError extends DomainError {
  readonly code = 'QUALITY.DATASET_NOT_FOUND';
  constructor(namespace: string, name: string) {
    super(`no metric names the dataset ${name} of ${namespace}`);
  }
}
