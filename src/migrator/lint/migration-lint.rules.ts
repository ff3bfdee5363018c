/**
 * The lint's rules: what each one means and what to write instead. docs/migration-lint.md has the long
 * form with SQL examples; keep the two in step.
 */
export type LintRuleId =
  | 'add-column-not-null-without-default'
  | 'add-column-volatile-default'
  | 'add-column-serial-or-identity'
  | 'add-column-generated-stored'
  | 'create-index-not-concurrently'
  | 'drop-index-not-concurrently'
  | 'concurrently-in-transaction'
  | 'add-foreign-key-without-not-valid'
  | 'add-check-without-not-valid'
  | 'add-unique-constraint'
  | 'validate-in-same-transaction'
  | 'set-not-null'
  | 'alter-column-type'
  | 'drop-column'
  | 'drop-table'
  | 'rename-column'
  | 'rename-table'
  | 'missing-timeout';

export interface LintRule {
  summary: string;
  safeAlternative: string;
}

export const LINT_RULES: Record<LintRuleId, LintRule> = {
  'add-column-not-null-without-default': {
    summary: 'a NOT NULL column without a default cannot be added to a table that has rows',
    safeAlternative:
      'add the column nullable (or NOT NULL with a constant DEFAULT), backfill in batches, then tighten it in a later migration',
  },
  'add-column-volatile-default': {
    summary: 'a volatile DEFAULT (random(), gen_random_uuid(), clock_timestamp(), nextval() …) gives every existing row its own value, so PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    safeAlternative:
      'add the column without a default (or with a constant or now()), SET DEFAULT for new rows in the same migration, and backfill the existing rows in batches',
  },
  'add-column-serial-or-identity': {
    summary: 'a serial or identity column numbers every existing row, so PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    safeAlternative:
      'add a nullable bigint, create a sequence and SET DEFAULT nextval() for new rows, backfill the existing rows in batches, then tighten it (or number the rows in a new table and switch over)',
  },
  'add-column-generated-stored': {
    summary: 'a stored generated column is computed for every existing row, so PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock',
    safeAlternative:
      'add a plain nullable column, fill new rows with a trigger (or the application), backfill in batches; or, on PostgreSQL 18+, a VIRTUAL generated column, which stores nothing',
  },
  'create-index-not-concurrently': {
    summary: 'CREATE INDEX blocks every write to the table until the index is built',
    safeAlternative: 'CREATE INDEX CONCURRENTLY in a migration of its own whose isTransactional() returns false',
  },
  'drop-index-not-concurrently': {
    summary: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table; in a transaction it is held to the end of the run',
    safeAlternative: 'DROP INDEX CONCURRENTLY in a migration of its own whose isTransactional() returns false',
  },
  'concurrently-in-transaction': {
    summary: 'PostgreSQL refuses this statement inside a transaction block, so the migration fails',
    safeAlternative:
      'give the statement a migration of its own that overrides isTransactional() to return false, and an addSql() call of its own',
  },
  'add-foreign-key-without-not-valid': {
    summary: 'adding a validated foreign key scans the table while writes to both tables are blocked',
    safeAlternative:
      'ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later migration (it does not block writes)',
  },
  'add-check-without-not-valid': {
    summary: 'adding a validated CHECK scans the whole table under an ACCESS EXCLUSIVE lock',
    safeAlternative: 'ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT in a later migration',
  },
  'add-unique-constraint': {
    summary: 'ADD UNIQUE / PRIMARY KEY builds its index while holding an ACCESS EXCLUSIVE lock: no reads or writes for the whole build',
    safeAlternative:
      'CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional migration, then ALTER TABLE … ADD CONSTRAINT name UNIQUE USING INDEX name in the next',
  },
  'validate-in-same-transaction': {
    summary: 'validating a constraint in the transaction that added it NOT VALID keeps the ADD\'s lock through the whole scan',
    safeAlternative: 'VALIDATE CONSTRAINT in a later migration, applied by a later run (or in a non-transactional migration)',
  },
  'set-not-null': {
    summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
    safeAlternative:
      'ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID; VALIDATE it in a later migration; then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check',
  },
  'alter-column-type': {
    summary: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock, and breaks replicas still running the previous release',
    safeAlternative:
      'add a new column, write both, backfill in batches, switch reads, then drop the old column in a later release',
  },
  'drop-column': {
    summary: 'replicas still running the previous release select or insert the column and fail',
    safeAlternative: 'release code that no longer uses the column first, then drop it in a later release',
  },
  'drop-table': {
    summary: 'replicas still running the previous release query the table and fail',
    safeAlternative: 'release code that no longer uses the table first, then drop it in a later release',
  },
  'rename-column': {
    summary: 'replicas still running the previous release use the old column name and fail',
    safeAlternative: 'add the new column, write both, backfill, switch reads, then drop the old column in a later release',
  },
  'rename-table': {
    summary: 'replicas still running the previous release use the old table name and fail',
    safeAlternative:
      'create the new table (or a view with the old name over the renamed table), move the code over, then drop the old name in a later release',
  },
  'missing-timeout': {
    summary: 'without lock_timeout a DDL statement queues behind a long transaction and every query on the table queues behind it',
    safeAlternative:
      'keep the runner\'s lock_timeout (MIGRATIONS_DDL_LOCK_TIMEOUT_MS > 0); raise it with SET LOCAL lock_timeout = \'5s\' if a step needs longer, never to 0',
  },
};

export function isLintRuleId(id: string): id is LintRuleId {
  return Object.hasOwn(LINT_RULES, id);
}

/** A finding of one check, before it is placed in its migration. */
export interface Hit {
  rule: LintRuleId;
  message: string;
}

export interface LintContext {
  /** Tables created earlier in this migration's up(): new and empty, and unknown to any running release. */
  created: Set<string>;
  /** Indexes created earlier in this migration: dropping one again locks nothing anyone uses. */
  createdIndexes: Set<string>;
  /** Constraints added NOT VALID earlier in this migration, whose ADD still holds its lock in a transaction. */
  notValid: Set<string>;
  /** Checks `(column IS NOT NULL)` added earlier in this migration: constraint → `table.column`. */
  notNullChecks: Map<string, string>;
  /** `table.column` that such a check, validated earlier in this migration, proves free of NULLs. */
  provenNotNull: Set<string>;
  transactional: boolean;
  /** The statement shares its addSql() string with others, which PostgreSQL runs as one implicit transaction. */
  sharesString: boolean;
}
