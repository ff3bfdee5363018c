import { parseArgs } from 'node:util';
import type { RolesConfig } from '../config/roles.config.js';
import { setUpRoles } from './roles.js';

export const ROLES_USAGE = `Usage: npm run db:roles [-- --reassign] [--no-createdb]

Creates or updates, idempotently, on the database of DATABASE_ADMIN_URL (else MIGRATIONS_DATABASE_URL):
  the owner role (DB_OWNER_ROLE, default pipeline_ledger_owner; password DB_OWNER_PASSWORD): LOGIN, CREATEDB,
      USAGE and CREATE on schema public; runs migrations (MIGRATIONS_DATABASE_URL) and owns what they create
  the runtime role (DB_APP_ROLE, default pipeline_ledger_app; password DB_APP_PASSWORD): LOGIN, CONNECT,
      USAGE on schema public, the data privileges the service needs on each table; the service's DATABASE_URL
Passwords are sent as SCRAM verifiers and never printed; an existing role keeps its password unless one is set.

Options:
  --reassign      make the owner role the owner of every table, view, sequence, function and type in public
                  (a database that an earlier single-role setup migrated)
  --no-createdb   do not give the owner role CREATEDB (then \`migrate drift\` cannot build its scratch database)

Exit codes: 0 done; 1 failed (nothing changed: it runs in one transaction); 2 bad usage or configuration`;

/** `db:roles`: parses its own options, so the command module can hand it the rest of argv. */
export async function runRolesCommand(argv: string[], loadConfig: () => RolesConfig, print: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reassign: { type: 'boolean', default: false },
      createdb: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowNegative: true,
  });
  if (values.help) {
    print(ROLES_USAGE);
    return 0;
  }
  await setUpRoles(loadConfig(), { reassign: values.reassign, createdb: values.createdb }, print);
  return 0;
}
