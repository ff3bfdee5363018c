import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from './config/env-parsers.js';
import { loadConfig, type AppConfig } from './config/app.config.js';
import type { EmbeddedDatabase } from './database/embedded-postgres.js';
import { createApp } from './app.factory.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Past this, a shutdown that hangs (a stuck request, a database that does not answer) is cut short. */
const SHUTDOWN_TIMEOUT_MS = 15_000;
const logger = new Logger('Main');

let starting: Promise<EmbeddedDatabase> | undefined;
let app: NestFastifyApplication | undefined;
let stopping: Promise<void> | undefined;

/** Idempotent: a second signal (Ctrl-C reaches both npm and us) joins the shutdown already under way. */
function stop(reason: string, code: number): Promise<void> {
  stopping ??= (async () => {
    logger.log(`${reason}: shutting down`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await app?.close().catch((e: unknown) => logger.error(`closing the app failed: ${String(e)}`));
    // Also when the signal came while the database was still starting: never leave it running orphaned.
    const embedded = await starting?.catch(() => undefined);
    await embedded?.stop().catch((e: unknown) => logger.error(`stopping the embedded PostgreSQL failed: ${String(e)}`));
    process.exit(code);
  })();
  return stopping;
}

/** Imports embedded-postgres only when it is used, and drops the exit-on-signal handlers it installs. */
async function startEmbedded(config: AppConfig): Promise<EmbeddedDatabase> {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { startEmbeddedPostgres } = await import('./database/embedded-postgres.js');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return startEmbeddedPostgres(config, logger);
}

async function main(): Promise<void> {
  let config = loadConfig();
  for (const signal of SIGNALS) process.on(signal, () => void stop(signal, 0));
  if (!config.database.url) {
    starting = startEmbedded(config);
    const embedded = await starting;
    if (stopping) return;
    config = { ...config, database: { ...config.database, url: embedded.url } };
  }
  app = await createApp(config);
  if (stopping) return;
  await app.listen({ port: config.port, host: config.host });
  logger.log(`listening on http://${config.host}:${config.port}`);
}

main().catch(async (error: unknown) => {
  // Config errors name the variable and what it accepts; nothing here prints a URL or password.
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  if (error instanceof ConfigError) console.error(message);
  else logger.fatal(message);
  await stop('startup failed', 1);
});
