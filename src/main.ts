import 'reflect-metadata';
// First: it takes over console before any library that captures console.log is loaded.
import { routeConsoleTo } from './logging/console-to-log.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError } from './common/domain-error.js';
import { ConfigError } from './config/env-parsers.js';
import { loadConfig, type AppConfig } from './config/app.config.js';
import type { EmbeddedDatabase } from './database/embedded/embedded-postgres.js';
import { createApp } from './http/app.factory.js';
import { createRootLogger, type RootLogger } from './logging/logging.js';
import { ShutdownService } from './health/shutdown.service.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** After SHUTDOWN_GRACE_MS, the time left to close the pool and stop the embedded PostgreSQL before exiting 1. */
const SHUTDOWN_MARGIN_MS = 5_000;

// JSON from the first line on; at LOG_LEVEL once the configuration has been read.
let root: RootLogger = createRootLogger('info');
let logger = root.child({ context: 'Main' });
let graceMs = 0;
let starting: Promise<EmbeddedDatabase> | undefined;
let app: NestFastifyApplication | undefined;
let stopping: Promise<void> | undefined;

/**
 * Readiness turns 503 and the listener closes at once (no drain delay here: the orchestrator's preStop
 * hook is the place to wait for endpoints to update, see docs/operations.md). Requests in flight get
 * SHUTDOWN_GRACE_MS to finish, then their connections are closed; then the pool closes.
 */
async function closeApp(nest: NestFastifyApplication): Promise<void> {
  nest.get(ShutdownService).begin();
  const cutOff = setTimeout(() => {
    logger.warn(`requests still in flight after SHUTDOWN_GRACE_MS (${graceMs} ms): closing their connections`);
    nest.getHttpServer().closeAllConnections();
  }, graceMs);
  try {
    await nest.close();
  } finally {
    clearTimeout(cutOff);
  }
}

/** Idempotent: a second signal (Ctrl-C reaches both npm and us) joins the shutdown already under way. */
function stop(reason: string, code: number): Promise<void> {
  stopping ??= (async () => {
    logger.info(`${reason}: shutting down`);
    const backstopMs = graceMs + SHUTDOWN_MARGIN_MS;
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${backstopMs} ms (SHUTDOWN_GRACE_MS + ${SHUTDOWN_MARGIN_MS} ms); exiting`);
      process.exit(1);
    }, backstopMs).unref();
    if (app) await closeApp(app).catch((e: unknown) => logger.error(`closing the app failed: ${String(e)}`));
    // Also when the signal came while the database was still starting: never leave it running orphaned.
    const embedded = await starting?.catch(() => undefined);
    await embedded?.stop().catch((e: unknown) => logger.error(`stopping the embedded PostgreSQL failed: ${String(e)}`));
    logger.info('stopped');
    process.exit(code);
  })();
  return stopping;
}

/** Imports embedded-postgres only when it is used, and drops the exit-on-signal handlers it installs. */
async function startEmbedded(config: AppConfig): Promise<EmbeddedDatabase> {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { startEmbeddedPostgres } = await import('./database/embedded/embedded-postgres.js');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return startEmbeddedPostgres(config, { log: (m) => logger.info(m), warn: (m) => logger.warn(m) });
}

async function main(): Promise<void> {
  for (const signal of SIGNALS) process.on(signal, () => void stop(signal, 0));
  let config = loadConfig();
  root = createRootLogger(config.logLevel);
  logger = root.child({ context: 'Main' });
  routeConsoleTo(root);
  graceMs = config.shutdownGraceMs;
  if (!config.database.url) {
    starting = startEmbedded(config);
    const embedded = await starting;
    if (stopping) return;
    config = { ...config, database: { ...config.database, url: embedded.url } };
  }
  app = await createApp(config, root);
  if (stopping) return;
  await app.listen({ port: config.port, host: config.host });
  logger.info(`listening on http://${config.host}:${config.port}`);
}

// A crash is logged as JSON like everything else, and still stops the embedded database.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    logger.fatal({ err: error }, event);
    void stop(event, 1);
  });
}

main().catch(async (error: unknown) => {
  // Config errors name the variable and what it accepts; nothing here prints a URL or password.
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.message);
  // The stable code, as the command line prints it (`DATABASE.MIGRATION_CHANGED: …`) and as a field to filter on.
  else if (error instanceof DomainError) logger.fatal({ code: error.code }, `${error.code}: ${error.message}`);
  else logger.fatal(error instanceof Error ? error.message : String(error));
  await stop('startup failed', 1);
});
