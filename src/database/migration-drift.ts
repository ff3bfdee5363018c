import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppConfig } from '../config/app.config.js';
import { sslOptions } from '../../mikro-orm.config.js';
import { resolveDatabaseUrl } from './embedded-credentials.js';
import { openMigrationRunner } from './migration-orm.js';
import { TRACKING } from './migration-run.js';
import type { MigrationService } from './migration.service.js';
import { readCatalog, withoutTracking, type SchemaCatalog } from './schema-catalog.js';

export type DriftObject = 'table' | 'column' | 'constraint' | 'index' | 'trigger' | 'function' | 'type' | 'sequence';

export interface DriftDifference {
  object: DriftObject;
  /** table.column, table.constraint, index name, …: what differs. */
  name: string;
  /** As the applied migrations build it; null when they do not build it. */
  expected: string | null;
  /** As the live database has it; null when it is missing there. */
  live: string | null;
}

export interface DriftReport {
  /** The last applied migration the scratch database was built up to (null: none applied). */
  appliedThrough: string | null;
  differences: DriftDifference[];
}

export class DriftScratchDatabaseError extends Error {
  readonly code = 'DATABASE.DRIFT_SCRATCH_DATABASE';
  constructor(name: string, cause: unknown) {
    super(
      `could not create the scratch database "${name}" that drift detection rebuilds the schema in: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. The migration role needs CREATEDB on this server.`,
      { cause },
    );
  }
}

/**
 * The name of a catalog item: items name their object first ("name type …" for columns, "name: …" for
 * constraints and indexes), but for triggers, which are their CREATE TRIGGER statement.
 */
function keyOf(item: string): string {
  const trigger = /^CREATE (?:CONSTRAINT )?TRIGGER (\S+)/.exec(item);
  return trigger ? trigger[1] : item.split(/:? /, 1)[0];
}

/** Every difference between two lists of items, paired by name. */
function diffItems(object: DriftObject, prefix: string, expected: string[], live: string[]): DriftDifference[] {
  const want = new Map(expected.map((i) => [keyOf(i), i]));
  const have = new Map(live.map((i) => [keyOf(i), i]));
  const out: DriftDifference[] = [];
  for (const key of new Set([...want.keys(), ...have.keys()])) {
    const [e, l] = [want.get(key) ?? null, have.get(key) ?? null];
    if (e !== l) out.push({ object, name: prefix + key, expected: e, live: l });
  }
  return out;
}

/** What differs between the schema the migrations build and the live one, object by object. */
export function compareCatalogs(expected: SchemaCatalog, live: SchemaCatalog): DriftDifference[] {
  const perTable = (object: DriftObject, pick: (c: SchemaCatalog) => Record<string, string[]>) => {
    const tables = new Set([...Object.keys(pick(expected)), ...Object.keys(pick(live))]);
    return [...tables].sort().flatMap((t) => diffItems(object, object === 'index' ? '' : `${t}.`, pick(expected)[t] ?? [], pick(live)[t] ?? []));
  };
  const tablesOnlyOnOneSide = new Set(diffItems('table', '', expected.tables, live.tables).map((d) => d.name));
  // A table missing on one side is one difference, not one per column, constraint and index of it.
  const notInMissingTable = (d: DriftDifference) => d.object === 'index' || !tablesOnlyOnOneSide.has(d.name.split('.')[0]);
  return [
    ...diffItems('table', '', expected.tables, live.tables),
    ...perTable('column', (c) => c.columns).filter(notInMissingTable),
    ...perTable('constraint', (c) => c.constraints).filter(notInMissingTable),
    ...perTable('index', (c) => c.indexes),
    ...diffItems('trigger', '', expected.triggers, live.triggers),
    ...diffItems('function', '', expected.functions, live.functions),
    ...diffItems('type', '', expected.types, live.types),
    ...diffItems('sequence', '', expected.sequences, live.sequences),
  ];
}

/**
 * Rebuilds the schema that the applied migrations produce in a scratch database on the same server
 * (through the same runner, so non-transactional migrations run as they did), reads both catalogs and
 * compares them. The scratch database is dropped whatever happens. Refuses a history that is not intact:
 * what the migrations build is only meaningful when they are the ones that ran.
 */
export async function detectDrift(config: AppConfig, migrations: MigrationService): Promise<DriftReport> {
  const { applied } = await migrations.status();
  await migrations.assertIntact();
  const appliedThrough = applied.length > 0 ? applied[applied.length - 1].name : null;
  const liveUrl = resolveDatabaseUrl(config);
  const ssl = sslOptions(liveUrl.searchParams.get('sslmode'));
  const scratch = `${liveUrl.pathname.slice(1).slice(0, 40)}_drift_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: liveUrl.toString(), ssl, application_name: 'pipeline-ledger drift' });
  await admin.connect();
  try {
    await admin.query(`create database "${scratch}" template template0`).catch((error: unknown) => {
      throw new DriftScratchDatabaseError(scratch, error);
    });
    try {
      const scratchUrl = new URL(liveUrl);
      scratchUrl.pathname = `/${scratch}`;
      const runner = await openMigrationRunner({ ...config, database: { ...config.database, url: scratchUrl } });
      try {
        if (appliedThrough) await runner.migrations.up(appliedThrough);
      } finally {
        await runner.close();
      }
      const [expected, live] = await Promise.all([readCatalog(scratchUrl.toString(), ssl), readCatalog(liveUrl.toString(), ssl)]);
      return { appliedThrough, differences: compareCatalogs(withoutTracking(expected, TRACKING), withoutTracking(live, TRACKING)) };
    } finally {
      await admin.query(`drop database if exists "${scratch}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/** Lines for the command: one per difference, saying which side has what. */
export function formatDrift(report: DriftReport): string[] {
  const through = report.appliedThrough ?? '(no migration applied)';
  if (report.differences.length === 0) return [`no drift: the live schema is exactly what the applied migrations build (through ${through})`];
  return [
    `drift: ${report.differences.length} difference(s) between the schema the applied migrations build (through ${through}) and the live database`,
    ...report.differences.map((d) =>
      d.expected === null
        ? `  ${d.object} ${d.name}: in the live database, not built by any migration: ${d.live}`
        : d.live === null
          ? `  ${d.object} ${d.name}: built by the migrations, missing in the live database: ${d.expected}`
          : `  ${d.object} ${d.name}: differs\n      migrations: ${d.expected}\n      live:       ${d.live}`,
    ),
  ];
}
