import pg from 'pg';
import { DomainError } from '../common/domain-error.js';
import type { RoleSpec, RolesConfig } from '../config/roles.config.js';
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE as TRACKING, sslOptions } from '../database/orm-options.js';
import { PGBOSS_SCHEMA } from '../jobs/pgboss-schema.js';
import { notOwnedBy, reassignTo, tablePrivileges } from './roles.ownership.js';
import { scramVerifier } from './scram.js';

/** What the service may do to a table, unless NARROWED_TABLES says less: also granted by default on new tables. */
export const APP_TABLE_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE';
/** nextval() and currval() for columns that draw from a sequence. */
export const APP_SEQUENCE_PRIVILEGES = 'USAGE, SELECT';

/**
 * Tables the service needs less on than the default, and why. A table created later gets the default
 * until it is listed here and `db:roles` runs again; the list only ever takes privileges away, so a
 * forgotten run leaves the service working, never broken.
 */
export const NARROWED_TABLES: Readonly<Record<string, string>> = {
  // Readiness and MIGRATIONS_ON_BOOT=check read the migration history; only migrations (the owner) write it.
  [TRACKING]: 'SELECT',
  [CHECKSUMS_TABLE]: 'SELECT',
  // A run is recorded and transitioned, never deleted: the audit log keeps every run.
  pipeline_executions: 'SELECT, INSERT, UPDATE',
  // A run's history and the quality measurements are append-only.
  pipeline_execution_events: 'SELECT, INSERT',
  data_quality_metrics: 'SELECT, INSERT',
  // The hourly rollup, written by the metrics' triggers as the role that writes metrics: an insert adds to
  // its hours (an upsert). Deleting or changing metrics, which recounts hours, is the owner's alone.
  data_quality_metric_hours: 'SELECT, INSERT, UPDATE',
  // The series catalog, likewise: an insert creates or moves its series.
  metric_series: 'SELECT, INSERT, UPDATE',
  // The raw OpenLineage events everything else is derived from; only `lineage replay` (the owner) deletes.
  lineage_events: 'SELECT, INSERT',
  // An incident's timeline is append-only; incidents themselves change state but are never deleted.
  incident_events: 'SELECT, INSERT',
  incidents: 'SELECT, INSERT, UPDATE',
  // The relay marks rows published (UPDATE); deleting published rows is a retention job's, as the owner.
  outbox_events: 'SELECT, INSERT, UPDATE',
};

export interface RolesOptions {
  /** Give the owner role every object in public that another role owns (an earlier single-role setup). */
  reassign: boolean;
  /** CREATEDB for the owner role: `migrate drift` rebuilds the schema in a scratch database. */
  createdb: boolean;
}

/** The runtime role holds a privilege that makes the separation pointless; the admin must take it away. */
export class RoleTooPowerfulError extends DomainError {
  readonly code = 'DATABASE.ROLE_TOO_POWERFUL';
  constructor(role: string, what: string) {
    super(`role "${role}" ${what}: the service's role must not; take it away first (ALTER ROLE / REVOKE), then run db:roles again`);
  }
}

const APP_ATTRIBUTES = { rolsuper: 'SUPERUSER', rolcreaterole: 'CREATEROLE', rolcreatedb: 'CREATEDB', rolreplication: 'REPLICATION', rolbypassrls: 'BYPASSRLS' };

/** Creates the role or brings an existing one to `attributes`; sets the password only when one is given. */
async function ensureRole(client: pg.Client, role: RoleSpec, attributes: string, passwordVariable: string): Promise<string> {
  const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role.name]);
  const password = role.password === undefined ? '' : ` PASSWORD ${client.escapeLiteral(scramVerifier(role.password))}`;
  await client.query(`${rowCount ? 'alter' : 'create'} role ${client.escapeIdentifier(role.name)} with ${attributes}${password}`);
  const said = role.password !== undefined ? 'password set' : rowCount ? 'password unchanged' : `no password (set ${passwordVariable}, or use another authentication method)`;
  return `${rowCount ? 'exists' : 'created'}; ${attributes}; ${said}`;
}

async function assertModest(client: pg.Client, app: string, owner: string): Promise<void> {
  const { rows } = await client.query<Record<string, boolean>>(
    `select ${Object.keys(APP_ATTRIBUTES).join(', ')}, pg_has_role($1, $2, 'MEMBER') as owner_member from pg_roles where rolname = $1`,
    [app, owner],
  );
  const held = Object.entries(APP_ATTRIBUTES).filter(([column]) => rows[0][column]).map(([, attribute]) => attribute);
  if (held.length > 0) throw new RoleTooPowerfulError(app, `has ${held.join(', ')}`);
  if (rows[0].owner_member) throw new RoleTooPowerfulError(app, `is a member of the owner role "${owner}"`);
}

/**
 * Creates or updates the owner and runtime roles and their privileges on the admin URL's database, in one
 * transaction, idempotently: running it again converges on the same state (and narrows tables created
 * since). Prints what holds afterwards; never a password.
 */
export async function setUpRoles(config: RolesConfig, options: RolesOptions, print: (line: string) => void): Promise<void> {
  const client = new pg.Client({
    connectionString: config.adminUrl.toString(),
    ssl: sslOptions(config.adminUrl.searchParams.get('sslmode')),
    application_name: 'pipeline-ledger db:roles',
  });
  await client.connect();
  try {
    await client.query('begin');
    // Two runs at once would race on CREATE ROLE; roles are cluster-wide, so the lock key is constant.
    await client.query(`select pg_advisory_xact_lock(hashtext('pipeline-ledger db:roles'))`);
    const lines = await grantAll(client, config, options);
    await client.query('commit');
    for (const line of lines) print(line);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function grantAll(client: pg.Client, config: RolesConfig, options: RolesOptions): Promise<string[]> {
  const [owner, app] = [client.escapeIdentifier(config.owner.name), client.escapeIdentifier(config.app.name)];
  const [{ db }] = (await client.query<{ db: string }>('select current_database() as db')).rows;
  const database = client.escapeIdentifier(db);
  const lines = [
    `owner role ${config.owner.name} (runs migrations, owns the schema): ${await ensureRole(client, config.owner, `LOGIN ${options.createdb ? 'CREATEDB' : 'NOCREATEDB'}`, 'DB_OWNER_PASSWORD')}`,
    `runtime role ${config.app.name} (the service's DATABASE_URL): ${await ensureRole(client, config.app, 'LOGIN', 'DB_APP_PASSWORD')}`,
  ];
  await assertModest(client, config.app.name, config.owner.name);

  // TEMPORARY is PUBLIC's by default: without this the runtime role could still create (temporary) tables.
  await run(client, [
    `revoke temporary on database ${database} from public`,
    // CREATE: migrations create the job library's schema (pgboss) beside public.
    `grant connect, temporary, create on database ${database} to ${owner}`,
    `revoke all on database ${database} from ${app}`,
    `grant connect on database ${database} to ${app}`,
    // PostgreSQL before 15 lets every role create objects in public.
    `revoke create on schema public from public`,
    `grant usage, create on schema public to ${owner}`,
    `revoke all on schema public from ${app}`,
    `grant usage on schema public to ${app}`,
  ]);
  lines.push(
    `database ${db}: CONNECT, TEMPORARY, CREATE to ${config.owner.name}; CONNECT to ${config.app.name}; TEMPORARY revoked from PUBLIC`,
    `schema public: USAGE, CREATE to ${config.owner.name}; USAGE to ${config.app.name}; CREATE revoked from PUBLIC`,
  );

  if (options.reassign) {
    const moved = await reassignTo(client, config.owner.name);
    lines.push(moved.length > 0 ? `reassigned to ${config.owner.name}: ${moved.join(', ')}` : `reassigned: nothing, ${config.owner.name} owns everything in public`);
  } else {
    const foreign = await notOwnedBy(client, config.owner.name);
    if (foreign.length > 0) {
      lines.push(`WARNING: ${foreign.length} object(s) in public are not owned by ${config.owner.name}, so migrations cannot alter them: ${foreign.map((o) => o.name).join(', ')}; run again with --reassign`);
    }
  }

  // Revoke first, so that a privilege granted by hand (TRUNCATE, REFERENCES, TRIGGER, …) does not survive.
  const defaults = `alter default privileges for role ${owner} in schema public`;
  await run(client, [
    `${defaults} revoke all on tables from ${app}`,
    `${defaults} grant ${APP_TABLE_PRIVILEGES} on tables to ${app}`,
    `${defaults} revoke all on sequences from ${app}`,
    `${defaults} grant ${APP_SEQUENCE_PRIVILEGES} on sequences to ${app}`,
    `revoke all on all tables in schema public from ${app}`,
    `grant ${APP_TABLE_PRIVILEGES} on all tables in schema public to ${app}`,
    `revoke all on all sequences in schema public from ${app}`,
    `grant ${APP_SEQUENCE_PRIVILEGES} on all sequences in schema public to ${app}`,
  ]);
  for (const [table, privileges] of Object.entries(NARROWED_TABLES)) {
    if ((await client.query('select to_regclass($1) as t', [`public.${table}`])).rows[0].t === null) continue;
    await run(client, [`revoke all on table public.${table} from ${app}`, `grant ${privileges} on table public.${table} to ${app}`]);
  }
  lines.push(...(await grantJobSchema(client, owner, app, config)));
  lines.push(
    `default privileges on tables ${config.owner.name} creates in public: ${APP_TABLE_PRIVILEGES}; on sequences: ${APP_SEQUENCE_PRIVILEGES}; to ${config.app.name}`,
    `${config.app.name} on the tables in public now:`,
    ...(await tablePrivileges(client, config.app.name)).map((t) => `  ${t.name}: ${t.privileges}`),
  );
  return lines;
}

/**
 * The job library's schema (installed by a migration, as the owner): what pg-boss does at run time is DML
 * (send, fetch, complete, retry, maintenance deletes), so the runtime role gets USAGE and row privileges
 * there, also on tables a pg-boss upgrade adds, and never CREATE: no DDL, as in public. Before the first
 * `migrate up` the schema does not exist yet; run db:roles again after it.
 */
async function grantJobSchema(client: pg.Client, owner: string, app: string, config: RolesConfig): Promise<string[]> {
  if ((await client.query('select 1 from pg_namespace where nspname = $1', [PGBOSS_SCHEMA])).rowCount === 0) {
    return [`schema ${PGBOSS_SCHEMA} (the job library): not installed yet; run db:roles again after migrate up`];
  }
  const schema = client.escapeIdentifier(PGBOSS_SCHEMA);
  const defaults = `alter default privileges for role ${owner} in schema ${schema}`;
  await run(client, [
    `revoke all on schema ${schema} from ${app}`,
    `grant usage on schema ${schema} to ${app}`,
    `${defaults} revoke all on tables from ${app}`,
    `${defaults} grant ${APP_TABLE_PRIVILEGES} on tables to ${app}`,
    `${defaults} revoke all on sequences from ${app}`,
    `${defaults} grant ${APP_SEQUENCE_PRIVILEGES} on sequences to ${app}`,
    `revoke all on all tables in schema ${schema} from ${app}`,
    `grant ${APP_TABLE_PRIVILEGES} on all tables in schema ${schema} to ${app}`,
    `revoke all on all sequences in schema ${schema} from ${app}`,
    `grant ${APP_SEQUENCE_PRIVILEGES} on all sequences in schema ${schema} to ${app}`,
  ]);
  return [`schema ${PGBOSS_SCHEMA} (the job library): USAGE and ${APP_TABLE_PRIVILEGES} on its tables (also future ones) to ${config.app.name}; no CREATE`];
}

async function run(client: pg.Client, statements: string[]): Promise<void> {
  for (const statement of statements) await client.query(statement);
}
