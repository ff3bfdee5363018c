import { ConfigError, EnvReader, type Env } from './env-parsers.js';

/** What `db:roles` needs: an administrative connection and the two roles it sets up. Not the service's config. */
export interface RolesConfig {
  /** A role that may create roles and grant on the database (a superuser, or a managed service's admin). */
  adminUrl: URL;
  owner: RoleSpec;
  app: RoleSpec;
}

export interface RoleSpec {
  name: string;
  /** undefined: an existing role keeps its password; a new one is created without one. */
  password: string | undefined;
}

export const DEFAULT_OWNER_ROLE = 'pipeline_ledger_owner';
export const DEFAULT_APP_ROLE = 'pipeline_ledger_app';

// Unquoted-identifier shape: names appear in GRANT statements and in DATABASE_URLs, where anything
// needing quotes or escapes invites mistakes.
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MIN_PASSWORD = 12;

function roleName(read: EnvReader, variable: string, fallback: string): string {
  const name = read.string(variable, fallback);
  if (!ROLE_NAME.test(name)) read.problems.push(`${variable} must be a lower-case identifier: a-z, 0-9 and _, at most 63 characters (got "${name}")`);
  return name;
}

/** Never echoed: a bad password is described, not shown. */
function password(read: EnvReader, variable: string): string | undefined {
  const value = read.raw(variable);
  if (value === undefined) return undefined;
  // Printable ASCII: the SCRAM verifier is computed here, and PostgreSQL normalises other characters first.
  if (!/^[\x21-\x7e]+$/.test(value) || value.length < MIN_PASSWORD) {
    read.problems.push(`${variable} must be at least ${MIN_PASSWORD} printable ASCII characters without spaces`);
    return undefined;
  }
  return value;
}

/** Reads and validates the roles script's environment; throws a ConfigError naming every bad variable. */
export function loadRolesConfig(env: Env = process.env): RolesConfig {
  const read = new EnvReader(env);
  const adminUrl = read.postgresUrl('DATABASE_ADMIN_URL') ?? read.postgresUrl('MIGRATIONS_DATABASE_URL');
  if (adminUrl === undefined && read.problems.length === 0) {
    read.problems.push('DATABASE_ADMIN_URL must be set: the URL of a role that may create roles, on the database to set up');
  }
  const owner = { name: roleName(read, 'DB_OWNER_ROLE', DEFAULT_OWNER_ROLE), password: password(read, 'DB_OWNER_PASSWORD') };
  const app = { name: roleName(read, 'DB_APP_ROLE', DEFAULT_APP_ROLE), password: password(read, 'DB_APP_PASSWORD') };
  if (owner.name === app.name) read.problems.push(`DB_OWNER_ROLE and DB_APP_ROLE must differ (both "${owner.name}")`);
  if (read.problems.length > 0 || adminUrl === undefined) throw new ConfigError(read.problems);
  return { adminUrl, owner, app };
}
