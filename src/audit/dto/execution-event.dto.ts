import { Type, type Static } from '@sinclair/typebox';
import { RowCounts, StringEnum, Text, Timestamp } from '../../http/schemas.js';
import { TRANSITION_TYPES } from '../execution-state-machine.js';

const only = (types: string[], field: string) => ({
  if: { properties: { type: { enum: types } }, required: ['type'] },
  then: { properties: { [field]: false } },
});

/**
 * One state transition. Which fields a type takes is part of the schema (so of the OpenAPI document):
 * fail requires error_details and is the only one to take it; row_counts go with progress, succeed and
 * fail (merged into the execution's); completed_at with the terminal ones (default: now).
 */
export const ExecutionEventDto = Type.Object(
  {
    type: StringEnum(TRANSITION_TYPES),
    row_counts: Type.Optional(RowCounts),
    completed_at: Type.Optional(Timestamp),
    error_details: Type.Optional(Text({ maxLength: 65_536 })),
  },
  {
    additionalProperties: false,
    title: 'ExecutionEvent',
    allOf: [
      { if: { properties: { type: { const: 'fail' } }, required: ['type'] }, then: { required: ['error_details'] } },
      only(['start', 'progress', 'succeed', 'cancel'], 'error_details'),
      only(['start', 'cancel'], 'row_counts'),
      only(['start', 'progress'], 'completed_at'),
    ],
  },
);
export type ExecutionEventDto = Static<typeof ExecutionEventDto>;
