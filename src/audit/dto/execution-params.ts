import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit } from '../../http/schemas.js';

export const ExecutionIdParams = Type.Object(
  { execution_id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type ExecutionIdParams = Static<typeof ExecutionIdParams>;

export const ListEventsQuery = Type.Object(
  { limit: Type.Optional(Limit(1000, 100)), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListEventsQuery = Static<typeof ListEventsQuery>;
