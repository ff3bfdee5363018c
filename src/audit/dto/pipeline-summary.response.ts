import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { ExecutionStatus } from '../execution-status.js';
import { PIPELINE_HEALTH } from '../pipeline-health.js';
import { PipelineLinkSchema, PipelineScheduleSchema } from './pipeline-metadata.js';

const NullableNumber = Nullable(Type.Number());

export const PipelineSummaryResponse = Type.Object(
  {
    pipeline_name: StoredPipelineName,
    description: Nullable(Type.String()),
    owner: Nullable(Type.String()),
    team: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    links: Type.Array(PipelineLinkSchema),
    schedule: Type.Union([PipelineScheduleSchema, Type.Null()], { description: 'The expected schedule set by PUT; null for none.' }),
    archived: Type.Boolean(),
    archived_at: Nullable(Timestamp),
    first_seen_at: Nullable(Timestamp, { description: 'The first run recorded; null for a pipeline declared before any run.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    health: StringEnum(PIPELINE_HEALTH, { description: 'unknown, running, failing, late or healthy, in that precedence (docs/pipelines.md).' }),
    next_expected_at: Nullable(Timestamp, { description: 'When the next run is expected after the last covered period; null without a schedule.' }),
    last_covered_at: Nullable(Timestamp, { description: 'coalesce(nominal_time, started_at) of the newest successful run.' }),
    window: Type.String(),
    last_execution: Nullable(
      Type.Object(
        {
          execution_id: Uuid,
          status: StringEnum(Object.values(ExecutionStatus)),
          started_at: Timestamp,
          completed_at: Nullable(Timestamp),
          duration_ms: Nullable(Type.Number(), { description: 'completed_at − started_at; null while it runs.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The most recently started run, whenever it was; null before the first run.' },
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
    open_incidents: Type.Integer({ minimum: 0, description: 'Incidents of this pipeline not yet resolved (open, acknowledged or snoozed).' }),
  },
  { additionalProperties: false, title: 'PipelineSummary' },
);
export type PipelineSummaryResponse = Static<typeof PipelineSummaryResponse>;
