// The migration test kit's contract with a project, and the plumbing its checks share. The kit imports
// nothing of the project but the schema catalog reader, so that another MikroORM-on-PostgreSQL project can
// take test/kit/ (and src/migrator/drift/schema-catalog.ts) as they are.
import { readCatalog, type SchemaCatalog } from '../../src/migrator/drift/schema-catalog.js';

/** How the project applies migrations. Names are the migration names the project tracks, without extension. */
export interface KitRunner {
  /** Migrations not applied yet, in the order `up()` would apply them. */
  pending(): Promise<string[]>;
  /** Applied migrations, oldest first. */
  applied(): Promise<string[]>;
  /** Applies pending migrations up to and including `to` (all of them without it); returns those applied, in order. */
  up(to?: string): Promise<string[]>;
  /** Reverts the last migration, those applied after `to` (which stays), or all for 0; returns those reverted, newest first. */
  down(to?: string | 0): Promise<string[]>;
}

export interface OpenedRunner extends KitRunner {
  close(): Promise<void>;
}

export interface KitDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Rows written with the schema as it was at migration `at`, which must read back the same at head. */
export interface DataSurvivalFixture {
  /** What the rows are; part of the test's name and of its failure message. */
  name: string;
  /** The migration after which the rows are written; it must not be the last one. */
  at: string;
  write(url: string): Promise<void>;
  /** Throws (e.g. a failed expect) when the rows did not survive. */
  verify(url: string): Promise<void>;
}

/** What the kit passes to openRunner: whether the run was asked to be verbose (then give the runner its logs). */
export interface RunnerContext {
  verbose: boolean;
}

/** Rows written just before one migration (checkMigration), which must read back the same after it. */
export interface MigrationDataFixture {
  /** What the rows are; part of the failure message. */
  name: string;
  /** Writes them with the schema as it is before the migration. */
  write(url: string): Promise<void>;
  /** Throws when the rows are not as written, read at the migration's version: after its up, and after its down and up again. */
  verify(url: string): Promise<void>;
  /** The same at the version before it, after its down; without it, the down is checked by the second up. */
  verifyBefore?(url: string): Promise<void>;
}

export interface MigrationKitOptions {
  /** The project, in test names. */
  name: string;
  /** A new, EMPTY database for each check; dropped when the check ends. */
  createDatabase(): Promise<KitDatabase>;
  openRunner(url: string, context: RunnerContext): Promise<OpenedRunner>;
  /** The folder of migration files, read to check the history without the runner. */
  migrationsDir: string;
  /** Tables the runner keeps for itself (tracking, checksums): left out of every schema comparison. */
  bookkeepingTables?: string[];
  /** The schemas the migrations build, compared in every check; names outside public are qualified. Default: public. */
  schemas?: string[];
  /** What every migration name must match. Default: YYYYMMDD_HHMMSS_slug. */
  namePattern?: RegExp;
  /** The part of a name that says when it was written; no two migrations may share it. */
  timestampPattern?: RegExp;
  /** Which files in migrationsDir are migrations. Default: .ts/.js (and .mts/.cjs...) files, not .d.ts, not dotfiles. */
  isMigrationFile?(fileName: string): boolean;
  /** Migrations that only move data: up/down/up expects them to leave the schema as it was. */
  dataOnly?: string[];
  dataSurvival?: DataSurvivalFixture[];
  /** The SQL that would bring the database at head in line with the entities; '' when they match. */
  entitiesMatch?(url: string): Promise<string>;
  /** Per test; a full run per check can outlast jest's default of 5 s. */
  timeoutMs?: number;
  /**
   * Let the migrator's logs through (default: MIGRATION_KIT_VERBOSE=1 in the environment). Otherwise a check
   * mutes stdout and console.log/info/debug while it runs; warnings, errors and the check's failure still show.
   */
  verbose?: boolean;
}

export function isVerbose(options: Pick<MigrationKitOptions, 'verbose'>): boolean {
  return options.verbose ?? process.env.MIGRATION_KIT_VERBOSE === '1';
}

/**
 * Runs `work` with stdout and console.log/info/debug muted: a runner's progress lines (a Nest Logger writes
 * to stdout, MikroORM's logger to console.log) would bury the test report under hundreds of lines.
 */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const { log, info, debug } = console;
  const mute = () => undefined;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  Object.assign(console, { log: mute, info: mute, debug: mute });
  try {
    return await work();
  } finally {
    process.stdout.write = write;
    Object.assign(console, { log, info, debug });
  }
}

export const DEFAULT_NAME_PATTERN = /^\d{8}_\d{6}_[a-z0-9_]+$/;
export const DEFAULT_TIMESTAMP_PATTERN = /^\d{8}_\d{6}/;

export function isMigrationSource(fileName: string): boolean {
  return /^[^.].*\.[cm]?[jt]s$/.test(fileName) && !/\.d\.[cm]?ts$/.test(fileName);
}

/** A check's failure: says which migration (or fixture) and what went wrong, then the detail (often a diff). */
export class KitFailure extends Error {
  constructor(subject: string, what: string, detail = '') {
    super(`${subject}: ${what}${detail ? `\n\n${detail}` : ''}`);
    this.name = 'KitFailure';
  }
}

/** Runs `work`; any error it throws (a failed expect included) is reported against `subject`. */
export async function step<T>(subject: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new KitFailure(subject, what, error instanceof Error ? error.message : String(error));
  }
}

/**
 * What the migrations own: the catalog without the bookkeeping tables and what hangs off them. A serial id's
 * sequence is named after its table (mikro_orm_migrations_id_seq), which is how it is recognised here.
 */
export async function ownedCatalog(url: string, bookkeeping: string[], schemas?: string[]): Promise<SchemaCatalog> {
  const catalog = await readCatalog(url, false, schemas);
  const kept = (table: string) => !bookkeeping.includes(table);
  const drop = (record: Record<string, string[]>) => Object.fromEntries(Object.entries(record).filter(([table]) => kept(table)));
  return {
    ...catalog,
    tables: catalog.tables.filter(kept),
    columns: drop(catalog.columns),
    constraints: drop(catalog.constraints),
    indexes: drop(catalog.indexes),
    sequences: catalog.sequences.filter((s) => !bookkeeping.some((table) => s.startsWith(`${table}_`))),
  };
}

/** Every check starts from a database of its own, empty, and leaves nothing behind whatever happens. */
export async function withFreshRunner<T>(options: MigrationKitOptions, work: (runner: KitRunner, url: string) => Promise<T>): Promise<T> {
  const verbose = isVerbose(options);
  const run = async () => {
    const db = await options.createDatabase();
    try {
      const runner = await options.openRunner(db.url, { verbose });
      try {
        return await work(runner, db.url);
      } finally {
        await runner.close();
      }
    } finally {
      await db.drop();
    }
  };
  return verbose ? run() : quietly(run);
}
