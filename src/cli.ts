import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './config/app.config.js';
import { CliModule } from './cli.module.js';
import { MigrationService } from './database/migration.service.js';
import { MIGRATE_USAGE, runMigrateCommand, UsageError } from './database/migrate.command.js';

const USAGE = `Usage: node dist/cli.js <group> <command> [options]

${MIGRATE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { to: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, command, ...extra] = positionals;
  if (values.help || group === undefined || group === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (group !== 'migrate') throw new UsageError(`unknown command group "${group}"`);
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);

  // The commands decide what to migrate; boot-time migration must not run first.
  const base = loadConfig();
  const config = { ...base, migrations: { onBoot: 'off' as const } };
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['fatal', 'error', 'warn'],
    abortOnError: false,
  });
  try {
    return await runMigrateCommand({ command, to: values.to, json: values.json ?? false }, context.get(MigrationService), console.log);
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
