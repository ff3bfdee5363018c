import type { RolesConfig } from '../config/roles.config.js';
import { setUpRoles } from './roles.js';

export const ROLES_HELP = `Creates or updates, idempotently, on the database of DATABASE_ADMIN_URL (else MIGRATIONS_DATABASE_URL):
  the owner role (DB_OWNER_ROLE, default pipeline_ledger_owner; password DB_OWNER_PASSWORD): LOGIN, CREATEDB,
      CREATE on the database (the job library's schema), USAGE and CREATE on schema public; runs migrations
      (MIGRATIONS_DATABASE_URL) and owns what they create
  the runtime role (DB_APP_ROLE, default pipeline_ledger_app; password DB_APP_PASSWORD): LOGIN, CONNECT,
      USAGE on schemas public and pgboss, the data privileges the service needs on each table; the service's DATABASE_URL
Passwords are sent as SCRAM verifiers and never printed; an existing role keeps its password unless one is set.

Exit codes: 0 done; 1 failed (nothing changed: it runs in one transaction); 2 bad usage or configuration`;

/** `db roles` (and `npm run db:roles`): sets up both roles with the admin configuration; returns the exit code. */
export async function runRolesCommand(options: { reassign: boolean; createdb: boolean }, loadConfig: () => RolesConfig, print: (line: string) => void): Promise<number> {
  await setUpRoles(loadConfig(), options, print);
  return 0;
}
