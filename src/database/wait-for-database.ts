import type { MikroORM } from '@mikro-orm/postgresql';
import { describeDatabase, type DatabaseConfig } from '../config/app.config.js';

export class DatabaseUnreachableError extends Error {
  constructor(target: string, attempts: number, waitedMs: number, reason: string) {
    super(
      `PostgreSQL at ${target} is unreachable after ${attempts} attempt(s) over ${Math.round(waitedMs / 1000)}s: ${reason}. ` +
        'Check DATABASE_URL and that the server is running; DB_BOOT_RETRY_MS sets how long to wait.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects eagerly (MikroORM would otherwise connect on the first query) and retries with capped
 * exponential backoff for DB_BOOT_RETRY_MS, so a service started alongside its database waits for it.
 */
export async function waitForDatabase(
  orm: MikroORM,
  config: DatabaseConfig,
  url: URL,
  onRetry: (message: string) => void,
): Promise<void> {
  const started = Date.now();
  let delay = 200;
  let connected = false;
  for (let attempt = 1; ; attempt++) {
    // Once the pool exists it reconnects by itself; until then, creating it is part of each attempt.
    if (!connected) connected = await orm.connect().then(() => true, () => false);
    const check = await orm.checkConnection();
    if (check.ok) return;
    const waited = Date.now() - started;
    if (waited + delay > config.bootRetryMs) {
      throw new DatabaseUnreachableError(describeDatabase(url), attempt, waited, check.reason ?? 'unknown error');
    }
    onRetry(`PostgreSQL at ${describeDatabase(url)} not reachable (${check.reason}); retrying in ${delay} ms`);
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}
