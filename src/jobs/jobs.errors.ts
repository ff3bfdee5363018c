import { DomainError } from '../common/domain-error.js';
import { PGBOSS_SCHEMA, PGBOSS_SCHEMA_VERSION } from './pgboss-schema.js';

/** The database's pg-boss schema is not the one the installed package expects: the service refuses to start. */
export class JobsSchemaMismatchError extends DomainError {
  readonly code = 'JOBS.SCHEMA_MISMATCH';
  override readonly expose = true;
  constructor(found: number | null) {
    super(
      `the job library (pg-boss) expects its schema "${PGBOSS_SCHEMA}" at version ${PGBOSS_SCHEMA_VERSION}, the database has ${found === null ? 'none' : `version ${found}`}: ` +
        'apply the migrations of this release (node dist/cli.js migrate up, as the owner role), or set JOBS_ENABLED=false',
    );
  }
}

/** The schema exists but the service's role may not use it: db:roles has not run since the migration created it. */
export class JobsSchemaDeniedError extends DomainError {
  readonly code = 'JOBS.SCHEMA_DENIED';
  override readonly expose = true;
  constructor() {
    super(`the database role may not use the job library's schema "${PGBOSS_SCHEMA}": run db:roles again after migrate up (docs/database-roles.md), or set JOBS_ENABLED=false`);
  }
}
