import { readFileSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/app.config.js';
import { buildOrmOptions } from '../../database/orm-options.js';
import { readMigrationFiles } from '../migration-history.js';
import { lintMigration, type LintReport } from './migration-lint.js';
import { forMigrations } from '../migration-settings.js';
import { UnknownMigrationError } from '../migration.errors.js';

/**
 * Lints the committed migrations (or those after `since`) with the settings they would run with. Reading
 * a migration's SQL needs the ORM's driver but no connection, so this runs where no database is: in CI
 * before anything is deployed. MikroORM connects lazily; a placeholder URL is never dialled.
 */
export async function lintMigrations(config: AppConfig, since?: string): Promise<LintReport> {
  const url = config.database.url ?? new URL('postgres://lint@127.0.0.1:1/lint');
  const orm = await MikroORM.init(buildOrmOptions(forMigrations({ ...config, database: { ...config.database, url } }), { logger: () => undefined }));
  try {
    const files = await readMigrationFiles(orm);
    if (since !== undefined && !files.some((f) => f.name === since)) throw new UnknownMigrationError(since, 'committed', files.map((f) => f.name));
    const report: LintReport = { findings: [], silenced: [], errors: [] };
    for (const file of files.filter((f) => since === undefined || f.name > since)) {
      const one = lintMigration(
        { name: file.name, source: readFileSync(file.path, 'utf8'), up: file.up, transactional: file.transactional },
        { lockTimeoutMs: config.migrations.ddlLockTimeoutMs },
      );
      report.findings.push(...one.findings);
      report.silenced.push(...one.silenced);
      report.errors.push(...one.errors);
    }
    return report;
  } finally {
    await orm.close(true);
  }
}
