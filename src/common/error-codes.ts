import { HttpStatus } from '@nestjs/common';

/**
 * Every domain error code and its HTTP status, in one table. Typed as a Record over the codes, so a code
 * added to a feature without a status here does not compile.
 */
export const STATUS_BY_CODE = {
  'REQUEST.INVALID': HttpStatus.BAD_REQUEST,
  'REQUEST.INVALID_CURSOR': HttpStatus.BAD_REQUEST,
  'DATABASE.UNAVAILABLE': HttpStatus.SERVICE_UNAVAILABLE,
  'DATABASE.MIGRATIONS_PENDING': HttpStatus.SERVICE_UNAVAILABLE,
  'DATABASE.MIGRATION_FAILED': HttpStatus.INTERNAL_SERVER_ERROR,
  'DATABASE.UNKNOWN_MIGRATION': HttpStatus.NOT_FOUND,
  'DATABASE.CONSTRAINT_VIOLATION': HttpStatus.UNPROCESSABLE_ENTITY,
  'DATABASE.CONFLICT': HttpStatus.CONFLICT,
  'HEALTH.NOT_READY': HttpStatus.SERVICE_UNAVAILABLE,
  'AUDIT.EXECUTION_NOT_FOUND': HttpStatus.NOT_FOUND,
  'AUDIT.EXECUTION_ID_CONFLICT': HttpStatus.CONFLICT,
  'AUDIT.ILLEGAL_TRANSITION': HttpStatus.CONFLICT,
  'AUDIT.INVALID_TRANSITION_INPUT': HttpStatus.UNPROCESSABLE_ENTITY,
  'AUDIT.PIPELINE_NOT_FOUND': HttpStatus.NOT_FOUND,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;
