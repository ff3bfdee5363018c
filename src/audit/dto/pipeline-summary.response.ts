import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { ExecutionStatus } from '../execution-status.js';

const NullableNumber = Nullable(Type.Number());

export const PipelineSummaryResponse = Type.Object(
  {
    pipeline_name: StoredPipelineName,
    window: Type.String(),
    last_execution: Type.Object(
      { execution_id: Uuid, status: StringEnum(Object.values(ExecutionStatus)), started_at: Timestamp },
      { additionalProperties: false, description: 'The most recently started run, whenever it was.' },
    ),
    last_success_at: Nullable(Timestamp, { description: 'completed_at of the most recently started successful run, whenever it was.' }),
    counts: Type.Object(
      {
        pending: Type.Integer(),
        running: Type.Integer(),
        succeeded: Type.Integer(),
        failed: Type.Integer(),
        cancelled: Type.Integer(),
      },
      { additionalProperties: false, description: 'Runs started within the window, by current status.' },
    ),
    success_rate: Nullable(Type.Number({ minimum: 0, maximum: 1 }), {
      description: 'succeeded / (succeeded + failed + cancelled) within the window; null without finished runs.',
    }),
    duration_ms: Type.Object(
      { p50: NullableNumber, p95: NullableNumber },
      { additionalProperties: false, description: 'Interpolated percentiles of completed_at − started_at of the succeeded runs within the window.' },
    ),
  },
  { additionalProperties: false, title: 'PipelineSummary' },
);
export type PipelineSummaryResponse = Static<typeof PipelineSummaryResponse>;
