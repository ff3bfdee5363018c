import pg from 'pg';
import { Logger } from '../../logging/logger.js';
import type { AppConfig } from '../../config/app.config.js';
import { MIGRATIONS_TABLE as TRACKING, sslOptions } from '../../database/orm-options.js';
import { resolveDatabaseUrl } from '../../database/embedded/embedded-credentials.js';
import { openMigrationRunner } from '../migration-orm.js';
import { forMigrations } from '../migration-settings.js';
import type { MigrationService } from '../migration.service.js';
import { readCatalog, withoutTracking } from './schema-catalog.js';
import { compareCatalogs, type DriftReport } from './drift-compare.js';
import { clientConnection } from '../../database/pg-connection.js';
import { DomainError } from '../../common/domain-error.js';
import { createScratch, dropOnInterrupt, scratchName, sweepStaleScratch } from './scratch-database.js';

const logger = new Logger('Drift');

export class DriftScratchDatabaseError extends DomainError {
  readonly code = 'DATABASE.DRIFT_SCRATCH_DATABASE';
  override readonly expose = true;
  constructor(name: string, what: 'create' | 'build', cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      what === 'create'
        ? `could not create the scratch database "${name}" that drift detection rebuilds the schema in: ${reason}. The migration role needs CREATEDB on this server.`
        : `rebuilding the applied migrations in the scratch database "${name}" failed (the live database was not touched): ${reason}`,
      { cause },
    );
  }
}

export class DriftRaceError extends DomainError {
  readonly code = 'DATABASE.DRIFT_RACE';
  override readonly expose = true;
  constructor() {
    super('migrations were applied or reverted while drift detection ran; run it again');
  }
}

/**
 * Rebuilds the schema that the applied migrations produce in a scratch database on the same server
 * (through the same runner, so non-transactional migrations run as they did), reads both catalogs and
 * compares them. The scratch database is dropped whatever happens, an interruption of the process included
 * (dropOnInterrupt), and what earlier runs left behind is swept first. Refuses a history that is not intact:
 * what the migrations build is only meaningful when they are the ones that ran.
 */
export async function detectDrift(config: AppConfig, migrations: MigrationService): Promise<DriftReport> {
  await migrations.assertIntact();
  const appliedNow = async () => (await migrations.status()).applied.map((m) => m.name).join();
  const applied = await appliedNow();
  const appliedThrough = applied === '' ? null : (applied.split(',').pop() as string);
  // The owner's URL: creating the scratch database needs CREATEDB, which the service's own role lacks.
  const liveUrl = resolveDatabaseUrl(forMigrations(config));
  const ssl = sslOptions(liveUrl.searchParams.get('sslmode'));
  const live = decodeURIComponent(liveUrl.pathname.slice(1));
  const admin = new pg.Client({ ...clientConnection(liveUrl.toString(), ssl), application_name: 'pipeline-ledger drift' });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await sweepStaleScratch(admin, live);
    const scratch = createScratch(admin, scratchName(live));
    return await dropOnInterrupt(scratch, async () => {
      await scratch.created.catch((error: unknown) => {
        throw new DriftScratchDatabaseError(scratch.name, 'create', error);
      });
      const scratchUrl = new URL(liveUrl);
      scratchUrl.pathname = `/${encodeURIComponent(scratch.name)}`;
      logger.log(`rebuilding the applied migrations (through ${appliedThrough ?? 'none'}) in the scratch database "${scratch.name}"`);
      await rebuild(config, scratchUrl, applied === '' ? [] : applied.split(',')).catch((error: unknown) => {
        throw new DriftScratchDatabaseError(scratch.name, 'build', error);
      });
      const [expected, current] = await Promise.all([readCatalog(scratchUrl.toString(), ssl), readCatalog(liveUrl.toString(), ssl)]);
      // A deploy in between would show up as drift: compare only what was read against one history.
      if ((await appliedNow()) !== applied) throw new DriftRaceError();
      return { appliedThrough, differences: compareCatalogs(withoutTracking(expected, TRACKING), withoutTracking(current, TRACKING)) };
    });
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * The applied migrations, through the same runner (non-transactional ones run as they did), in the scratch
 * database: each alone, in the order they ran, so that one applied out of order, or one pending that sorts
 * before them (a merged branch), is rebuilt as the live database has it.
 */
async function rebuild(config: AppConfig, scratchUrl: URL, applied: string[]): Promise<void> {
  const runner = await openMigrationRunner({
    ...config,
    database: { ...config.database, url: scratchUrl },
    migrations: { ...config.migrations, url: scratchUrl },
  });
  try {
    for (const name of applied) await runner.migrations.up(name, { allowOutOfOrder: true, only: true });
  } finally {
    await runner.close();
  }
}
