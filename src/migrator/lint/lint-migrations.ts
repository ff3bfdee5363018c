import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/app.config.js';
import { buildOrmOptions } from '../../database/orm-options.js';
import { readMigrationFiles } from '../migration-history.js';
import { lintMigration, type LintReport } from './migration-lint.js';
import { forMigrations } from '../migration-settings.js';
import { UnknownMigrationError } from '../migration.errors.js';

// tsc mirrors the project into dist/: this file is dist/src/migrator/lint/lint-migrations.js there, and the
// build of migrations/X.ts is dist/migrations/X.js. Run from dist/, the sources are the migrations/ beside it.
const BUILT = import.meta.url.endsWith('.js');
const PROJECT_SOURCES = fileURLToPath(new URL('../../../../migrations', import.meta.url));
const SOURCE = /^\d{8}_\d{6}_[a-z0-9_]+\.ts$/;

/**
 * Lints the committed migrations (or those after `since`) with the settings they would run with. Reading
 * a migration's SQL needs the ORM's driver but no connection, so this runs where no database is: in CI
 * before anything is deployed. MikroORM connects lazily; a placeholder URL is never dialled.
 *
 * It reads what will be committed: the TypeScript sources whenever they exist, also when run from dist/,
 * whose copy is only as new as the last build. Node loads them itself (22.18+ strips types). Where it
 * cannot, it lints the build and reports each source the build is older than.
 */
export async function lintMigrations(config: AppConfig, since?: string): Promise<LintReport> {
  const sources = BUILT ? sourcesDir(config.migrations.dir ?? PROJECT_SOURCES) : undefined;
  let unreadable = process.features.typescript === false ? 'this Node cannot load TypeScript' : undefined;
  if (sources !== undefined && unreadable === undefined) {
    try {
      return (await lintFolder(config, since, sources)).report;
    } catch (error) {
      if (error instanceof UnknownMigrationError) throw error;
      unreadable = `the sources did not load (${(error as Error).message})`;
    }
  }
  const { report, dir } = await lintFolder(config, since);
  if (sources !== undefined) report.errors.unshift(...staleBuild(sources, dir, unreadable));
  return report;
}

/** The lint of the migrations in `sources` (.ts), or of those the ORM reads (the build, when run from dist/). */
async function lintFolder(config: AppConfig, since: string | undefined, sources?: string): Promise<{ report: LintReport; dir: string }> {
  const url = config.database.url ?? new URL('postgres://lint@127.0.0.1:1/lint');
  const migrations = { ...config.migrations, dir: sources ?? config.migrations.dir };
  const orm = await MikroORM.init(buildOrmOptions(forMigrations({ ...config, database: { ...config.database, url }, migrations }), { logger: () => undefined, ...(sources ? { preferTs: true } : {}) }));
  try {
    const files = await readMigrationFiles(orm);
    if (since !== undefined && !files.some((f) => f.name === since)) throw new UnknownMigrationError(since, 'committed', files.map((f) => f.name));
    const dir = orm.config.get('migrations').path as string;
    const report: LintReport = { linted: `${files.length} migration(s) in ${shown(dir)} (${sources || !BUILT ? 'TypeScript sources' : 'the build'})`, findings: [], silenced: [], errors: [] };
    for (const file of files.filter((f) => since === undefined || f.name > since)) {
      const source = readFileSync(file.path, 'utf8');
      const one = lintMigration({ name: file.name, file: shown(file.path), source, up: file.up, transactional: file.transactional }, { lockTimeoutMs: config.migrations.ddlLockTimeoutMs });
      report.findings.push(...one.findings);
      report.silenced.push(...one.silenced);
      report.errors.push(...one.errors);
    }
    return { report, dir };
  } finally {
    await orm.close(true);
  }
}

/** The folder when it holds migration sources (.ts). */
function sourcesDir(dir: string): string | undefined {
  return existsSync(dir) && readdirSync(dir).some((file) => SOURCE.test(file)) ? dir : undefined;
}

/**
 * The sources a build does not reflect, as one error: those never built, and those changed after their
 * build. Empty when the build is up to date.
 */
export function staleBuild(sources: string, built: string, why = 'this Node cannot load TypeScript'): string[] {
  const stale = readdirSync(sources).filter((file) => SOURCE.test(file)).sort().flatMap((file) => {
    const js = join(built, file.replace(/\.ts$/, '.js'));
    if (!existsSync(js)) return [`${file} (not built)`];
    return statSync(join(sources, file)).mtimeMs > statSync(js).mtimeMs ? [`${file} (changed after the build)`] : [];
  });
  if (stale.length === 0) return [];
  return [
    `${shown(built)} is older than the sources in ${shown(sources)}: ${stale.join(', ')}. The lint read the build, as ${why}: run \`npm run build\` first, or lint the sources with \`npm run db:lint\``,
  ];
}

/** A path as findings show it: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
