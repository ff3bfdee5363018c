import { Type, type Static } from '@sinclair/typebox';
import { PipelineName, RowCounts, StringEnum, Text, Timestamp, Uuid } from '../../http/schemas.js';

export const CreateExecutionDto = Type.Object(
  {
    execution_id: Type.Optional({ ...Uuid, description: 'Choose it yourself to make retries safe: the same id and body answer 200.' }),
    pipeline_name: PipelineName,
    status: Type.Optional(StringEnum(['pending', 'running'] as const, { description: 'Default running.' })),
    started_at: Type.Optional({ ...Timestamp, description: 'Default: when the request arrives.' }),
    input_file: Type.Optional(Text({ maxLength: 2048 })),
    attempt: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Default 1.' })),
    row_counts: Type.Optional(RowCounts),
    parent_execution_id: Type.Optional({ ...Uuid, description: 'The run that started this one (a DAG run for a task); it need not be recorded.' }),
    max_attempts: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'How many attempts will be made (at least attempt): a failed attempt below it will be retried. Default: unknown.' }),
    ),
    nominal_time: Type.Optional({ ...Timestamp, description: 'The period this run covers (a schedule slot, a backfilled date); default: its start.' }),
  },
  { additionalProperties: false, title: 'CreateExecution' },
);
export type CreateExecutionDto = Static<typeof CreateExecutionDto>;
