import { Command, CommanderError, Option } from 'commander';
import { DomainError } from './common/domain-error.js';
import { ERROR_CODES, EXIT } from './common/error-codes.js';
import { UsageError } from './common/usage.error.js';
import { ConfigError } from './config/env-parsers.js';
import { API_KEY_SCOPES } from './auth/api-key.entity.js';
import { checkApiKeysArgs, runApiKeysCommand, type ApiKeysArgs } from './auth/api-keys.command.js';
import { MIGRATE_EXIT_HELP, runLintCommand, type MigrateArgs } from './migrator/migrate.command.js';
import { loadRolesConfig } from './config/roles.config.js';
import { ROLES_HELP, runRolesCommand } from './roles/roles.command.js';
import { checkRunArgs, RUN_HELP, type RunOptions } from './run-wrapper/run-args.js';

// Each command imports what it runs when it runs (`await import`): a `migrate` command loads the ORM and the
// migrator, never Nest's application or the service's feature modules, which only `api-keys` and `lineage`
// need (cli.module.ts).

/** The command's output, and only that, on stdout (logs go to stderr): `--json` output parses whole. */
const print = (line: string) => void process.stdout.write(`${line}\n`);

/** A `group` with a hidden default subcommand, so that an unknown or missing subcommand is named in the error. */
function group(parent: Command, name: string, description: string): Command {
  const cmd = parent.command(name).description(description);
  const unknown = new Command('unknown').argument('[command]').allowUnknownOption().allowExcessArguments();
  unknown.action((sub?: string) => cmd.error(sub ? `unknown ${name} command "${sub}"` : `missing ${name} command`, { exitCode: EXIT.usage }));
  cmd.addCommand(unknown, { isDefault: true, hidden: true });
  return cmd;
}

function migrateCommands(program: Command, run: (work: () => Promise<number>) => Promise<void>): void {
  const migrate = group(program, 'migrate', 'apply, revert, inspect and check migrations (always under the migration lock)').addHelpText('after', MIGRATE_EXIT_HELP);
  const withRunner = (args: MigrateArgs) =>
    run(async () => {
      const { runMigrateCli } = await import('./migrator/migration-cli.js');
      return runMigrateCli(args, print);
    });
  const to = (what: string) => new Option('--to <name>', what);
  const dryRun = new Option('--dry-run', 'print the SQL that would run, in order, and change nothing');
  const json = new Option('--json', 'machine-readable output');
  migrate.command('up').description('apply pending migrations, all or nothing but for what commits before a non-transactional one')
    .addOption(to('stop after this pending migration')).addOption(dryRun)
    .option('--allow-out-of-order', 'also apply pending migrations that sort before an applied one (a merged branch); default: MIGRATIONS_ALLOW_OUT_OF_ORDER')
    .action((o: { to?: string; dryRun?: boolean; allowOutOfOrder?: boolean }) =>
      withRunner({ command: 'up', to: o.to, dryRun: o.dryRun === true, json: false, allowOutOfOrder: o.allowOutOfOrder === true }));
  migrate.command('down').description('revert the last migration applied, every migration after --to NAME, or all of them (--to 0)')
    .addOption(to('keep this applied migration and the ones before it; 0 reverts all')).addOption(dryRun)
    .option('--force', '--to 0 on a database that holds data: no confirmation (required off a terminal and with NODE_ENV=production)')
    .action((o: { to?: string; dryRun?: boolean; force?: boolean }) => withRunner({ command: 'down', to: o.to, dryRun: o.dryRun === true, json: false, force: o.force === true }));
  migrate.command('status').description('applied migrations (when, how long, checksum state) and pending ones').addOption(json)
    .action((o: { json?: boolean }) => withRunner({ command: 'status', json: o.json === true }));
  migrate.command('check').description('is the database up to date and its history intact? (for deploy pipelines)')
    .action(() => withRunner({ command: 'check', json: false }));
  migrate.command('repair').description('record that the edit of an applied migration was deliberate')
    .requiredOption('--accept <name>', 'the changed migration whose new checksum to accept')
    .action((o: { accept: string }) => withRunner({ command: 'repair', accept: o.accept, json: false }));
  migrate.command('drift').description('rebuild the migrations in a scratch database and compare it with the live schema').addOption(json)
    .action((o: { json?: boolean }) => withRunner({ command: 'drift', json: o.json === true }));
  migrate.command('lint').description('check the migrations for DDL that is unsafe on a busy database; needs no database connection')
    .option('--since <name>', 'only the migrations after this one').addOption(json)
    .action((o: { since?: string; json?: boolean }) =>
      run(async () => {
        const [{ loadConfig }, { lintMigrations }] = await Promise.all([import('./config/app.config.js'), import('./migrator/lint/lint-migrations.js')]);
        return runLintCommand({ command: 'lint', since: o.since, json: o.json === true }, (since) => lintMigrations(loadConfig(), since), print);
      }),
    );
}

function apiKeyCommands(program: Command, run: (work: () => Promise<number>) => Promise<void>): void {
  const keys = group(program, 'api-keys', 'create, list and revoke API keys (on the service\'s DATABASE_URL)');
  const withKeys = (args: ApiKeysArgs) =>
    run(async () => {
      const request = checkApiKeysArgs(args);
      const [{ loadConfig }, { inCliContext }, { ApiKeysService }] = await Promise.all([
        import('./config/app.config.js'),
        import('./cli.module.js'),
        import('./auth/api-keys.service.js'),
      ]);
      return inCliContext(loadConfig(), (ctx) => runApiKeysCommand(request, ctx.get(ApiKeysService), print));
    });
  keys.command('create').description('create a key; it is printed once and never stored in clear: keep it now')
    .requiredOption('--name <name>', 'what the key is for').requiredOption('--scopes <list>', `a comma list of ${API_KEY_SCOPES.join(', ')}`)
    .option('--json', 'machine-readable output, the key included')
    .action((o: { name: string; scopes: string; json?: boolean }) => withKeys({ command: 'create', name: o.name, scopes: o.scopes, json: o.json === true }));
  keys.command('list').description('every key: id, name, prefix, scopes, created, last used, revoked (never the key)').option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => withKeys({ command: 'list', json: o.json === true }));
  keys.command('revoke').description('refuse the key from its next request on').argument('<id>', 'the key\'s id (see api-keys list)')
    .action((id: string) => withKeys({ command: 'revoke', id, json: false }));
}

function otherCommands(program: Command, run: (work: () => Promise<number>) => Promise<void>): void {
  group(program, 'lineage', 'OpenLineage maintenance')
    .command('replay')
    .description('rebuild the executions OpenLineage reported, their history and metrics from the stored raw events, in one transaction; connects as MIGRATIONS_DATABASE_URL when set')
    .action(() =>
      run(async () => {
        const [{ loadConfig }, { inCliContext }, { forMigrations }, { runLineageReplay }, { LineageReplayService }] = await Promise.all([
          import('./config/app.config.js'),
          import('./cli.module.js'),
          import('./migrator/migration-settings.js'),
          import('./lineage/lineage.command.js'),
          import('./lineage/lineage-replay.js'),
        ]);
        return inCliContext(forMigrations(loadConfig()), (ctx) => runLineageReplay(ctx.get(LineageReplayService), print));
      }),
    );
  group(program, 'monitors', 'monitors as code')
    .command('apply')
    .description('make the service\'s monitors match a file (`monitors:`, a list of the objects POST /v1/monitors takes); see docs/monitors.md')
    .requiredOption('-f, --file <path>', 'the monitors file (YAML or JSON)')
    .option('--dry-run', 'print the difference and change nothing; exit 2 when there is one, 0 when none')
    .action((o: { file: string; dryRun?: boolean }) =>
      run(async () => {
        const [{ loadConfig }, { inCliContext }, { runMonitorsApply }, { MonitorsService }, { MikroORM }] = await Promise.all([
          import('./config/app.config.js'),
          import('./cli.module.js'),
          import('./monitors/monitors-apply.command.js'),
          import('./monitors/monitors.service.js'),
          import('@mikro-orm/postgresql'),
        ]);
        return inCliContext(loadConfig(), (ctx) => runMonitorsApply({ file: o.file, dryRun: o.dryRun === true }, ctx.get(MonitorsService), ctx.get(MikroORM).em, print));
      }),
    );
  group(program, 'db', 'database administration')
    .command('roles')
    .description('create or update the owner and runtime roles (npm run db:roles)')
    .option('--reassign', 'make the owner role the owner of everything in schema public (a database an earlier single-role setup migrated)')
    .option('--no-createdb', 'do not give the owner role CREATEDB (then `migrate drift` cannot build its scratch database)')
    .addHelpText('after', `\n${ROLES_HELP}`)
    .action((o: { reassign?: boolean; createdb: boolean }) => run(() => runRolesCommand({ reassign: o.reassign === true, createdb: o.createdb }, () => loadRolesConfig(), print)));
}

/** `run --pipeline NAME -- COMMAND [ARGS...]`: everything after the first operand (or `--`) is the command's. */
function runCommand(program: Command, run: (work: () => Promise<number>) => Promise<void>): void {
  program.command('run')
    .description('run a command (a cron job, a script) and report it to the service as a run of --pipeline: its start, then success or failure with the exit status, the duration and the end of stderr')
    .requiredOption('--pipeline <name>', 'the pipeline the run belongs to')
    .option('--attempt <n>', 'which attempt of the run this is (1 to 1000; default 1)')
    .option('--max-attempts <n>', 'how many attempts will be made (1 to 100, at least --attempt): a failure before the last opens no run_failed incident')
    .option('--parent-execution-id <uuid>', 'the run that started this one (a DAG run for a task)')
    .option('--input-file <path>', 'what the run reads, recorded with it')
    .argument('<command...>', 'the command and its arguments, after --')
    .passThroughOptions()
    .addHelpText('after', RUN_HELP)
    .action((command: string[], o: RunOptions) =>
      run(async () => {
        const args = checkRunArgs(o, command);
        const { runWrapped } = await import('./run-wrapper/run.command.js');
        return runWrapped(args);
      }),
    );
}

/** The exit status of an error out of a command: usage 2, a domain error its code's status (error-codes.ts), else 1. */
function exitStatusOf(error: unknown, command: Command): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander has printed it
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`${error.message}\n`);
    command.outputHelp({ error: true });
    return EXIT.usage;
  }
  if (error instanceof DomainError) {
    console.error(`${error.code}: ${error.message}`);
    return ERROR_CODES[error.code].exit;
  }
  console.error(error instanceof Error ? error.message : String(error));
  return EXIT.failed;
}

/** Runs one command line (`argv` without node and the script); resolves to the process's exit status. */
export async function runCli(argv: string[], name = 'node dist/cli.js'): Promise<number> {
  let status: number = EXIT.ok;
  let current: Command | undefined;
  // Positional options: `run`'s command keeps its own options (`run --pipeline x -- ls -l`).
  const program = new Command(name).description('Pipeline Ledger command line').exitOverride().showHelpAfterError().enablePositionalOptions();
  program.hook('preAction', (_root, action) => {
    current = action;
  });
  const run = async (work: () => Promise<number>) => {
    status = await work();
  };
  migrateCommands(program, run);
  apiKeyCommands(program, run);
  otherCommands(program, run);
  runCommand(program, run);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    return exitStatusOf(error, current ?? program);
  }
}
