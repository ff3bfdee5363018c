import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/http/app.factory.js';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { loadConfig, type AppConfig } from '../../src/config/app.config.js';
import { OpenApiContract } from './openapi.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** An API key with every scope, created for this app's tests; `http(app)` sends it. */
  key: string;
  close(): Promise<void>;
}

const keys = new WeakMap<NestFastifyApplication, string>();

/** The API key the suites send to `app` (see http() in audit-fixtures). */
export function keyOf(app: NestFastifyApplication): string | undefined {
  return keys.get(app);
}

/**
 * Boots the real application (Fastify, Nest, MikroORM, the pg pool) against `databaseUrl`, with an API
 * key of its own. The first-start key file goes to a temporary folder, not into the checkout.
 */
export async function bootApp(databaseUrl: string, env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'pl-test-app-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    MIGRATIONS_ON_BOOT: 'check',
    LOG_LEVEL: 'fatal',
    DB_BOOT_RETRY_MS: '0',
    DATA_DIR: dir,
    ...env,
  });
  const app = await createApp(config);
  // A boot that fails (a refused configuration or schema) must not leave its pools open behind the suite.
  await app.init().catch(async (error: unknown) => {
    await app.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  await app.getHttpAdapter().getInstance().ready();
  let key = '';
  if (config.migrations.onBoot !== 'off') {
    key = (await app.get(ApiKeysService).create('e2e suite', ['admin', 'manage', 'ingest', 'read'])).key;
    keys.set(app, key);
  }
  return {
    app,
    config,
    key,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AppFixture {
  db: TestDatabase;
  t: TestApp;
  contract: OpenApiContract;
}

/**
 * Registers beforeAll/afterAll hooks giving the suite a database of its own (cloned from the migrated
 * template), the app booted on it with `env`, and its OpenAPI contract. Read the fields inside tests.
 */
export function useApp(env: Record<string, string> = {}): AppFixture {
  const fixture = {} as AppFixture;
  beforeAll(async () => {
    fixture.db = await createTestDatabase();
    fixture.t = await bootApp(fixture.db.url, env);
    fixture.contract = await OpenApiContract.load(fixture.t.app);
  });
  afterAll(async () => {
    await fixture.t?.close();
    await fixture.db?.drop();
  });
  return fixture;
}
