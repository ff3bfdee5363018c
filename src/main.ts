import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from './config/env-parsers.js';
import { loadConfig, type AppConfig } from './config/app.config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { createApp } from './app.factory.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(): Promise<void> {
  // embedded-postgres installs signal handlers that stop the database and exit at once; we own shutdown
  // instead, so the HTTP server drains and the pool closes before the database goes away.
  for (const signal of SIGNALS) process.removeAllListeners(signal);
  const logger = new Logger('Main');
  let config: AppConfig = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.database.url) {
    embedded = await startEmbeddedPostgres(config, (m) => logger.log(m));
    config = { ...config, database: { ...config.database, url: embedded.url } };
  }
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${reason}: shutting down`);
    await app?.close().catch((e: unknown) => logger.error(`closing the app failed: ${String(e)}`));
    await embedded?.stop().catch((e: unknown) => logger.error(`stopping the embedded PostgreSQL failed: ${String(e)}`));
    process.exit(code);
  };
  for (const signal of SIGNALS) process.once(signal, () => void stop(signal, 0));
  try {
    app = await createApp(config);
    await app.listen({ port: config.port, host: config.host });
    logger.log(`listening on http://${config.host}:${config.port}`);
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    await stop('startup failed', 1);
  }
}

main().catch((error: unknown) => {
  // Config errors name the variable and what it accepts; nothing here prints a URL or password.
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error);
  process.exit(1);
});
