import { EXIT } from '../common/error-codes.js';
import { UsageError } from '../common/usage.error.js';
import { formatDrift, type DriftReport } from './drift/drift-compare.js';
import { formatFindings, type LintReport } from './lint/migration-lint.js';
import type { DestructiveGuard } from './destructive-guard.js';
import { historyError, outOfOrderText } from './migration.errors.js';
import type { MigrationService } from './migration.service.js';
import { lastApplied, type MigrationStatus } from './migration-status.js';

/** What `migrate --help` adds after the commands. */
export const MIGRATE_EXIT_HELP = `
Exit codes: 0 done / up to date / no drift / no finding; 1 failed, or (check) migrations pending; 2 usage;
            3 the history is not intact (an applied migration changed or is missing), or (up) a pending migration
              sorts before an applied one and --allow-out-of-order was not given;
            4 (drift) the live schema differs from what the migrations build; 5 (lint) unsafe DDL found`;

export interface MigrateArgs {
  command: 'up' | 'down' | 'status' | 'check' | 'repair' | 'drift' | 'lint';
  to?: string;
  accept?: string;
  since?: string;
  json: boolean;
  dryRun?: boolean;
  /** up: apply pending migrations that sort before an applied one. */
  allowOutOfOrder?: boolean;
  /** down --to 0: no confirmation (see DestructiveGuard). */
  force?: boolean;
}

/** What the subcommands that need a database work with; drift builds its scratch database only when asked. */
export interface MigrateDeps {
  migrations: MigrationService;
  drift(): Promise<DriftReport>;
  guard: Pick<DestructiveGuard, 'confirm'>;
}

type Print = (line: string) => void;

function printStatus(status: MigrationStatus, print: Print): void {
  const rows = [
    ['', 'migration', 'applied at (UTC)', 'took', 'checksum'],
    ...status.applied.map((m) => [
      m.outOfOrder ? 'applied (out of order)' : 'applied',
      m.name,
      m.executedAt,
      m.durationMs === null ? '' : `${m.durationMs} ms`,
      m.repairedBy ? `${m.checksum} (repaired by ${m.repairedBy})` : m.checksum,
    ]),
    ...status.pending.map((name) => [status.outOfOrder.includes(name) ? 'pending (out of order)' : 'pending', name, '', '', '']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) print(r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  print(`${status.applied.length} applied, ${status.pending.length} pending${status.problems.length ? `, ${status.problems.length} history problem(s)` : ''}`);
  printOutOfOrder(status, print);
}

/** Names the pending migrations that would run out of order, and how to apply them. */
function printOutOfOrder(status: MigrationStatus, print: Print): void {
  if (status.outOfOrder.length === 0) return;
  for (const name of status.outOfOrder) print(outOfOrderText(name, lastApplied(status)));
  print('apply with `migrate up --allow-out-of-order` once it is shared (see docs/migrations.md, "Walkthrough: merging a teammate\'s branch")');
}

/** The flag, or else the runner's setting (MIGRATIONS_ALLOW_OUT_OF_ORDER). */
function upOptions(args: MigrateArgs): { allowOutOfOrder?: boolean } {
  return args.allowOutOfOrder ? { allowOutOfOrder: true } : {};
}

/** Runs one `migrate` subcommand; returns the process exit code. */
export async function runMigrateCommand(args: MigrateArgs, deps: MigrateDeps, print: Print): Promise<number> {
  const { migrations } = deps;
  if (args.dryRun && (args.command === 'up' || args.command === 'down')) {
    const target = args.command === 'down' && args.to === '0' ? 0 : args.to;
    const plan = await migrations.plan(args.command, target, upOptions(args));
    if (plan.length === 0) print(`-- dry run: nothing to ${args.command === 'up' ? 'apply' : 'revert'}`);
    for (const step of plan) {
      const notes = [step.outOfOrder ? ', out of order' : '', step.transactional ? '' : ', outside a transaction: what ran before it commits first'];
      print(`-- ${step.name} (${args.command}${notes.join('')})`);
      for (const statement of step.sql) print(statement.endsWith(';') ? statement : `${statement};`);
    }
    return EXIT.ok;
  }
  switch (args.command) {
    case 'up': {
      const applied = await migrations.up(args.to, upOptions(args));
      print(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'nothing to apply: the database is up to date');
      return EXIT.ok;
    }
    case 'down': {
      if (args.to === '0') await deps.guard.confirm('migrate down --to 0', args.force === true);
      const reverted = await migrations.down(args.to === '0' ? 0 : args.to);
      print(reverted.length > 0 ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
      return EXIT.ok;
    }
    case 'status': {
      const status = await migrations.status();
      if (args.json) print(JSON.stringify(status));
      else printStatus(status, print);
      // Out of order is no problem of the history: status says so and exits 0 (only `up` asks for a decision).
      if (status.problems.length > 0 && !args.json) print(historyError(status.problems).message);
      return status.problems.length > 0 ? EXIT.history : EXIT.ok;
    }
    case 'check': {
      const status = await migrations.status();
      if (status.problems.length > 0) {
        print(historyError(status.problems).message);
        return EXIT.history;
      }
      if (status.pending.length === 0) {
        print('ok: no pending migrations, history intact');
        return EXIT.ok;
      }
      print(`pending migrations: ${status.pending.join(', ')}`);
      printOutOfOrder(status, print);
      return EXIT.failed;
    }
    case 'repair': {
      if (!args.accept) throw new UsageError('repair needs --accept NAME');
      await migrations.repair(args.accept);
      print(`recorded the current checksum of ${args.accept} as deliberate`);
      return EXIT.ok;
    }
    case 'drift': {
      const report = await deps.drift();
      for (const line of args.json ? [JSON.stringify(report)] : formatDrift(report)) print(line);
      return report.differences.length > 0 ? EXIT.drift : EXIT.ok;
    }
    case 'lint':
      throw new Error('migrate lint runs through runLintCommand, with no database');
  }
}

/** `migrate lint`, which needs no database: its own entry so the CLI opens none for it. */
export async function runLintCommand(args: MigrateArgs, lint: (since?: string) => Promise<LintReport>, print: Print): Promise<number> {
  const report = await lint(args.since);
  for (const line of args.json ? [JSON.stringify(report)] : formatFindings(report)) print(line);
  if (!args.json) print(`lint: ${report.findings.length} finding(s), ${report.silenced.length} silenced with a reason, ${report.errors.length} error(s)`);
  return report.findings.length > 0 || report.errors.length > 0 ? EXIT.lint : EXIT.ok;
}
