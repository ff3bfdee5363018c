import { afterAll, beforeAll } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/app.config.js';
import { OpenApiContract } from './openapi.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  close(): Promise<void>;
}

/** Boots the real application (Fastify, Nest, MikroORM, the pg pool) against `databaseUrl`. */
export async function bootApp(databaseUrl: string, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    MIGRATIONS_ON_BOOT: 'check',
    LOG_LEVEL: 'fatal',
    DB_BOOT_RETRY_MS: '0',
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, close: () => app.close() };
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
