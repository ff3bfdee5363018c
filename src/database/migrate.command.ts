import type { MigrationService } from './migration.service.js';

export const MIGRATE_USAGE = `Usage: node dist/cli.js migrate <command> [options]

Commands:
  up [--to NAME]       apply pending migrations (up to and including NAME), all or nothing
  down [--to NAME|0]   revert the last migration, every migration after NAME, or all of them (--to 0)
  status [--json]      list applied and pending migrations
  check                exit 1 when a migration is pending (for deploy pipelines)`;

export interface MigrateArgs {
  command: string | undefined;
  to?: string;
  json: boolean;
}

export class UsageError extends Error {}

type Print = (line: string) => void;

/** Runs one `migrate` subcommand; returns the process exit code. */
export async function runMigrateCommand(args: MigrateArgs, migrations: MigrationService, print: Print): Promise<number> {
  switch (args.command) {
    case 'up': {
      const applied = await migrations.up(args.to);
      print(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'nothing to apply: the database is up to date');
      return 0;
    }
    case 'down': {
      const reverted = await migrations.down(args.to === '0' ? 0 : args.to);
      print(reverted.length > 0 ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
      return 0;
    }
    case 'status': {
      const status = await migrations.status();
      if (args.json) {
        print(JSON.stringify(status));
      } else {
        for (const m of status.applied) print(`applied  ${m.executedAt.toISOString()}  ${m.name}`);
        for (const name of status.pending) print(`pending  ${' '.repeat(24)}  ${name}`);
        print(`${status.applied.length} applied, ${status.pending.length} pending`);
      }
      return 0;
    }
    case 'check': {
      const pending = await migrations.pending();
      if (pending.length === 0) {
        print('ok: no pending migrations');
        return 0;
      }
      print(`pending migrations: ${pending.join(', ')}`);
      return 1;
    }
    default:
      throw new UsageError(args.command ? `unknown migrate command "${args.command}"` : 'missing migrate command');
  }
}
