import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from './config/app.config.js';
import { DomainError } from './common/domain-error.js';
import { resolveDatabaseUrl } from './database/embedded/embedded-credentials.js';
import { lintMigrations } from './migrator/lint/lint-migrations.js';
import { detectDrift } from './migrator/drift/migration-drift.js';
import { openMigrationRunner } from './migrator/migration-orm.js';
import { EXIT, MIGRATE_USAGE, runLintCommand, runMigrateCommand, UsageError } from './migrator/migrate.command.js';
import { waitForDatabase } from './database/wait-for-database.js';
import { API_KEYS_USAGE, ApiKeysUsageError, runApiKeysCommand } from './auth/api-keys.command.js';
import { ConfigError } from './config/env-parsers.js';
import { loadRolesConfig } from './config/roles.config.js';
import { ROLES_USAGE, runRolesCommand } from './roles/roles.command.js';
import { forMigrations } from './migrator/migration-settings.js';
import { LINEAGE_USAGE, LineageUsageError, runLineageCommand } from './lineage/lineage.command.js';

const USAGE = `Usage: node dist/cli.js <group> <command> [options]

${MIGRATE_USAGE}

${API_KEYS_USAGE}

${LINEAGE_USAGE}

${ROLES_USAGE.replace('npm run db:roles [-- --reassign] [--no-createdb]', 'node dist/cli.js db roles [--reassign] [--no-createdb]   (npm run db:roles)')}`;

/** The command module: `migrate …`, `api-keys …`, `lineage …` and `db roles`. */
async function main(argv: string[]): Promise<number> {
  // `db roles` parses its own options, and reads its own (admin) configuration.
  if (argv[0] === 'db' && argv[1] === 'roles') return runRolesCommand(argv.slice(2), () => loadRolesConfig(), console.log);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      accept: { type: 'string' },
      since: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, ...extra] = positionals;
  if (values.help || group === undefined || group === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (group !== 'migrate' && group !== 'api-keys' && group !== 'lineage') throw new UsageError(`unknown command group "${group}"`);
  const [id, ...rest] = group === 'api-keys' && command === 'revoke' ? extra : [undefined, ...extra];
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);

  const config = loadConfig();
  if (group === 'lineage') return runLineageCommand(command, config, console.log);
  if (group === 'api-keys') {
    return runApiKeysCommand({ command, name: values.name, scopes: values.scopes, id, json: values.json ?? false }, config, console.log);
  }
  const args = { command, to: values.to, accept: values.accept, since: values.since, json: values.json ?? false, dryRun: values['dry-run'] ?? false };
  if (command === 'lint') return runLintCommand(args, (since) => lintMigrations(config, since), console.log);
  const runner = await openMigrationRunner(config);
  try {
    // The runner connects as the owner role when MIGRATIONS_DATABASE_URL is set: name that database.
    await waitForDatabase(runner.orm, config.database, resolveDatabaseUrl(forMigrations(config)), (m) => console.error(m));
    return await runMigrateCommand(args, { migrations: runner.migrations, drift: () => detectDrift(config, runner.migrations) }, console.log);
  } finally {
    await runner.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ApiKeysUsageError || error instanceof LineageUsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    const code = (error as { code?: unknown }).code;
    // Domain errors and the roles command's coded errors print their stable code first; driver errors do not.
    const coded = error instanceof DomainError || (typeof code === 'string' && /^[A-Z]+\.[A-Z_]+$/.test(code));
    console.error(coded ? `${String(code)}: ${(error as Error).message}` : error instanceof Error ? error.message : String(error));
    // A history that is not intact has its own exit code, so a deploy pipeline can tell it apart.
    process.exit(/^DATABASE\.MIGRATION_(CHANGED|FILE_MISSING|OUT_OF_ORDER)$/.test(String((error as { code?: unknown }).code)) ? EXIT.history : EXIT.failed);
  },
);
