import { DomainError } from '../common/domain-error.js';
import type { InvalidParam } from '../common/problem.js';

/** Where an event sits in its request: its index in a batch, null for the single-event route. */
type EventIndex = number | null;

/**
 * The events would record more quality metrics than one event or one request may (413): refused whole,
 * before anything is written. `event_index` is the event over the per-event cap, or the one at which the
 * request's running total passes the request cap.
 */
export class TooManyMetricsError extends DomainError {
  readonly code = 'LINEAGE.TOO_MANY_METRICS';
  override readonly extensions: Record<string, unknown>;
  constructor(per: 'event' | 'request', limit: number, metrics: number, index: EventIndex) {
    super(
      per === 'event'
        ? `${index === null ? 'the event' : `event ${index}`} would record ${metrics} quality metrics; at most ${limit} per event`
        : `the events would record ${metrics} quality metrics (passing the cap at event ${index}); at most ${limit} per request: send fewer events per batch`,
    );
    this.extensions = { limit, per, metrics, event_index: index };
  }
}

/** A valid event that the runs already recorded do not allow (409); nothing of it is written. */
export abstract class EventConflictError extends DomainError {
  override readonly extensions: Record<string, unknown>;
  /** The field the conflict is about, as a JSON pointer into the event. */
  readonly path: string;
  protected constructor(message: string, path: string, extensions: Record<string, unknown>) {
    super(message);
    this.path = path;
    this.extensions = { ...extensions, errors: [this.at('')] };
  }

  /** The finding, with its pointer prefixed by `at` (the event's place in a batch). */
  at(at: string): InvalidParam {
    return { in: 'body', pointer: `${at}${this.path}`, detail: this.message };
  }
}

/** The run was created by another pipeline (a REST client or another OpenLineage job): an event may only update its own job's runs. */
export class RunOfOtherPipelineError extends EventConflictError {
  readonly code = 'LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE';
  constructor(runId: string, owner: string, pipelineName: string) {
    super(`run ${runId} belongs to pipeline ${owner}, not to this event's job (${pipelineName})`, '/job', {
      run_id: runId,
      pipeline_name: owner,
      event_pipeline_name: pipelineName,
    });
  }
}

/** The parent named would make the run its own ancestor (A's parent is B while B's parent is A). */
export class ParentCycleError extends EventConflictError {
  readonly code = 'LINEAGE.PARENT_CYCLE';
  constructor(runId: string, parentId: string) {
    super(`run ${parentId} descends from run ${runId}, so it cannot be its parent (a cycle)`, '/run/facets/parent/run/runId', {
      run_id: runId,
      parent_run_id: parentId,
    });
  }
}
