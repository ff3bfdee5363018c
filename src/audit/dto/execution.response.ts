import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, StoredRowCounts, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { ExecutionStatus } from '../execution-status.js';
import { EVENT_TYPES } from '../pipeline-execution-event.entity.js';

export const ExecutionResponse = Type.Object(
  {
    execution_id: Uuid,
    pipeline_name: StoredPipelineName,
    status: StringEnum(Object.values(ExecutionStatus)),
    started_at: Timestamp,
    completed_at: Nullable(Timestamp),
    input_file: Nullable(Type.String()),
    row_counts: StoredRowCounts,
    error_details: Nullable(Type.String()),
    attempt: Type.Integer(),
    parent_execution_id: Nullable(Uuid, {
      description: 'The run that started this one (OpenLineage parent facet), which may not be recorded itself; null for none.',
    }),
    max_attempts: Nullable(Type.Integer(), { description: 'How many attempts will be made; null: unknown (this attempt counts as the last).' }),
    nominal_time: Nullable(Timestamp, { description: 'The period the run covers; null: its start (started_at).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Execution', additionalProperties: false },
);
export type ExecutionResponse = Static<typeof ExecutionResponse>;

export const ExecutionEventResponse = Type.Object(
  {
    event_id: Uuid,
    execution_id: Uuid,
    type: StringEnum(EVENT_TYPES),
    occurred_at: Timestamp,
    payload: Type.Record(Type.String(), Type.Unknown(), { description: 'The request body of the change, without `type`.' }),
  },
  { title: 'ExecutionEvent', additionalProperties: false },
);
export type ExecutionEventResponse = Static<typeof ExecutionEventResponse>;
