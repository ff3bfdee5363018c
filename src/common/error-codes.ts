// The enum alone, not the package's index: the command line loads this table for every command.
import { HttpStatus } from '@nestjs/common/enums/http-status.enum.js';

/** The command line's exit statuses (`node dist/cli.js`), for every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, history: 3, drift: 4, lint: 5 } as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every domain error code, in one table: the HTTP status the problem mapper answers with and the exit status
 * the command line ends with. A code a feature throws must be here (DomainError.code is typed over these
 * keys), so a new code without both does not compile. A history that is not intact has its own exit status,
 * so a deploy pipeline can tell it apart from a failure.
 */
export const ERROR_CODES = {
  'REQUEST.INVALID': { status: HttpStatus.BAD_REQUEST, exit: EXIT.failed },
  'REQUEST.INVALID_CURSOR': { status: HttpStatus.BAD_REQUEST, exit: EXIT.failed },
  'REQUEST.KEY_IN_QUERY': { status: HttpStatus.BAD_REQUEST, exit: EXIT.failed },
  'REQUEST.TOO_MANY_ITEMS': { status: HttpStatus.PAYLOAD_TOO_LARGE, exit: EXIT.failed },
  'REQUEST.BODY_TOO_LARGE': { status: HttpStatus.PAYLOAD_TOO_LARGE, exit: EXIT.failed },
  'REQUEST.UNSUPPORTED_CONTENT_ENCODING': { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, exit: EXIT.failed },
  'REQUEST.UNSUPPORTED_CHARSET': { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, exit: EXIT.failed },
  'DATABASE.UNAVAILABLE': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'DATABASE.MIGRATIONS_PENDING': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'DATABASE.MIGRATION_FAILED': { status: HttpStatus.INTERNAL_SERVER_ERROR, exit: EXIT.failed },
  'DATABASE.UNKNOWN_MIGRATION': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'DATABASE.MIGRATION_LOCK_TIMEOUT': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'DATABASE.MIGRATION_CHANGED': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.history },
  'DATABASE.MIGRATION_FILE_MISSING': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.history },
  'DATABASE.MIGRATION_OUT_OF_ORDER': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.history },
  'DATABASE.NOTHING_TO_REPAIR': { status: HttpStatus.BAD_REQUEST, exit: EXIT.failed },
  'DATABASE.DESTRUCTIVE_COMMAND_REFUSED': { status: HttpStatus.FORBIDDEN, exit: EXIT.failed },
  'DATABASE.MIGRATION_LOCK_BUDGET': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'DATABASE.DRIFT_SCRATCH_DATABASE': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'DATABASE.DRIFT_RACE': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'DATABASE.MIGRATION_PRIVILEGES': { status: HttpStatus.INTERNAL_SERVER_ERROR, exit: EXIT.failed },
  'DATABASE.ROLE_TOO_POWERFUL': { status: HttpStatus.INTERNAL_SERVER_ERROR, exit: EXIT.failed },
  'DATABASE.CONSTRAINT_VIOLATION': { status: HttpStatus.UNPROCESSABLE_ENTITY, exit: EXIT.failed },
  'DATABASE.CONFLICT': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'JOBS.SCHEMA_MISMATCH': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'JOBS.SCHEMA_DENIED': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'HEALTH.NOT_READY': { status: HttpStatus.SERVICE_UNAVAILABLE, exit: EXIT.failed },
  'AUDIT.EXECUTION_NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'AUDIT.EXECUTION_ID_CONFLICT': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'AUDIT.ILLEGAL_TRANSITION': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'AUDIT.INVALID_TRANSITION_INPUT': { status: HttpStatus.UNPROCESSABLE_ENTITY, exit: EXIT.failed },
  'AUDIT.PIPELINE_NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'IDEMPOTENCY.KEY_REUSED': { status: HttpStatus.UNPROCESSABLE_ENTITY, exit: EXIT.failed },
  'QUALITY.UNKNOWN_EXECUTION': { status: HttpStatus.UNPROCESSABLE_ENTITY, exit: EXIT.failed },
  'QUALITY.DATASET_NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'LINEAGE.TOO_MANY_METRICS': { status: HttpStatus.PAYLOAD_TOO_LARGE, exit: EXIT.failed },
  'LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'LINEAGE.PARENT_CYCLE': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'MONITORS.NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'MONITORS.DEFAULT_NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'MONITORS.NAME_TAKEN': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'INCIDENTS.NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'INCIDENTS.ILLEGAL_TRANSITION': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'INCIDENTS.ALREADY_OPEN': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'INCIDENTS.NOT_ANOMALY': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
  'AUTH.MISSING_KEY': { status: HttpStatus.UNAUTHORIZED, exit: EXIT.failed },
  'AUTH.INVALID_KEY': { status: HttpStatus.UNAUTHORIZED, exit: EXIT.failed },
  'AUTH.INSUFFICIENT_SCOPE': { status: HttpStatus.FORBIDDEN, exit: EXIT.failed },
  'AUTH.RATE_LIMITED': { status: HttpStatus.TOO_MANY_REQUESTS, exit: EXIT.failed },
  'AUTH.TOO_MANY_FAILURES': { status: HttpStatus.TOO_MANY_REQUESTS, exit: EXIT.failed },
  'AUTH.KEY_NOT_FOUND': { status: HttpStatus.NOT_FOUND, exit: EXIT.failed },
  'AUTH.LAST_ADMIN_KEY': { status: HttpStatus.CONFLICT, exit: EXIT.failed },
} as const satisfies Record<string, { status: HttpStatus; exit: ExitStatus }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
