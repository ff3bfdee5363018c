import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, StoredPipelineName, StringEnum, Text, Timestamp, Uuid } from '../../http/schemas.js';
import { ExecutionStatus } from '../execution-status.js';

export const EXECUTION_SORTS = ['started_at', '-started_at'] as const;
export type ExecutionSort = (typeof EXECUTION_SORTS)[number];

export const ListExecutionsQuery = Type.Object(
  {
    pipeline_name: Type.Optional(StoredPipelineName),
    status: Type.Optional(
      Type.Array(StringEnum(Object.values(ExecutionStatus)), { minItems: 1, maxItems: 5, uniqueItems: true, description: 'Repeat for several: ?status=failed&status=cancelled' }),
    ),
    started_after: Type.Optional({ ...Timestamp, description: 'Runs started at or after this time (inclusive).' }),
    started_before: Type.Optional({ ...Timestamp, description: 'Runs started before this time (exclusive).' }),
    has_error: Type.Optional(Type.Boolean({ description: 'true: only runs with error_details; false: only runs without.' })),
    input_file: Type.Optional(Text({ maxLength: 2048 })),
    parent_execution_id: Type.Optional({ ...Uuid, description: 'Only the runs this run started (e.g. the tasks of an Airflow DAG run).' }),
    sort: Type.Optional(StringEnum(EXECUTION_SORTS, { default: '-started_at' })),
    limit: Type.Optional(Limit(500, 50)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListExecutionsQuery = Static<typeof ListExecutionsQuery>;
