import type { Direction } from './migration-run.js';
import { checksumMatches, type AppliedRow, type HistoryProblem, type MigrationFile } from './migration-history.js';
import { UnknownMigrationError } from './migration.errors.js';

// What `migrate status` reports, and which migrations a run picks from it: pure functions of the history.

export type ChecksumState = 'ok' | 'changed' | 'missing' | 'unrecorded';

export interface AppliedMigration {
  name: string;
  executedAt: string;
  durationMs: number | null;
  checksum: ChecksumState;
  /** Who accepted the edit the file now has (migrate repair); null when the file is as it ran. */
  repairedBy: string | null;
  /** It ran after a migration that sorts after it (migrate up --allow-out-of-order). */
  outOfOrder: boolean;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: string[];
  /** Edited or missing applied migrations: nothing runs until they are put right. */
  problems: HistoryProblem[];
  /** Pending migrations that sort before an applied one: `up` applies them only when allowed to. */
  outOfOrder: string[];
}

/** `to` for down(): a migration name to stop at (it stays applied), or 0 to revert everything. */
export type DownTarget = string | 0;

/** An applied migration as status shows it: the repair is named only while the file is the repaired one. */
export function describeApplied(row: AppliedRow, file: MigrationFile | undefined): AppliedMigration {
  const checksum: ChecksumState = !file ? 'missing' : row.checksum === null ? 'unrecorded' : checksumMatches(row, file) ? 'ok' : 'changed';
  return {
    name: row.name,
    executedAt: row.executed_at,
    durationMs: row.duration_ms,
    checksum,
    repairedBy: file?.checksum === row.checksum ? row.repaired_by : null,
    outOfOrder: row.out_of_order,
  };
}

/** The applied migration that sorts last: what an out-of-order one sorts before. */
export function lastApplied(status: MigrationStatus): string {
  return status.applied.map((m) => m.name).sort().pop() ?? '';
}

/**
 * The migrations a run applies or reverts, in the order it would. `up` must name a pending migration and
 * `down` an applied one: a target that is neither would otherwise mean "everything".
 */
export function selectRun(status: MigrationStatus, direction: Direction, to?: DownTarget): string[] {
  if (direction === 'up') {
    if (to === 0) throw new UnknownMigrationError('0', 'pending', status.pending);
    if (to !== undefined && !status.pending.includes(to)) throw new UnknownMigrationError(to, 'pending', status.pending);
    return to === undefined ? status.pending : status.pending.slice(0, status.pending.indexOf(to) + 1);
  }
  const applied = status.applied.map((m) => m.name).reverse();
  if (typeof to === 'string' && !applied.includes(to)) throw new UnknownMigrationError(to, 'applied', applied.slice().reverse());
  return to === undefined ? applied.slice(0, 1) : to === 0 ? applied : applied.slice(0, applied.indexOf(to));
}
