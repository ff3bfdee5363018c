import { DomainError } from '../common/domain-error.js';

export class PendingMigrationsError extends DomainError {
  readonly code = 'DATABASE.MIGRATIONS_PENDING';
  override readonly expose = true;
  constructor(readonly pending: string[]) {
    super(
      `${pending.length} migration(s) pending: ${pending.join(', ')}. ` +
        'Apply them with `npm run db:migrate` or `node dist/cli.js migrate up`, or start with MIGRATIONS_ON_BOOT=up.',
    );
  }
}

export class MigrationFailedError extends DomainError {
  readonly code = 'DATABASE.MIGRATION_FAILED';
  constructor(
    readonly migration: string,
    readonly direction: 'up' | 'down',
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Migration ${migration} failed (${direction}); the whole run was rolled back: ${reason}`, { cause });
  }
}

export class UnknownMigrationError extends DomainError {
  readonly code = 'DATABASE.UNKNOWN_MIGRATION';
  constructor(name: string, must: 'pending' | 'applied', candidates: string[]) {
    super(`No ${must} migration named "${name}". ${must === 'pending' ? 'Pending' : 'Applied'} migrations: ${candidates.join(', ') || '(none)'}`);
  }
}
