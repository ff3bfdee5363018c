import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Migration } from '@mikro-orm/migrations';

export interface MigrationFile {
  name: string;
  /** Where the file is: the lint reads its comments. */
  path: string;
  checksum: string;
  /** The statements of up() and down(), in order. */
  up: string[];
  down: string[];
  /** false for a migration that overrides isTransactional(): it runs outside any transaction. */
  transactional: boolean;
}

export type ProblemKind = 'changed' | 'missing';

export interface HistoryProblem {
  kind: ProblemKind;
  name: string;
}

export interface AppliedRow {
  name: string;
  executed_at: string;
  checksum: string | null;
  duration_ms: number | null;
  repaired_by: string | null;
  /** What `checksum` was when the migration ran, once a repair replaced it. */
  checksum_as_applied: string | null;
  out_of_order: boolean;
}

const NAME = /^(\d{8}_\d{6}_[a-z0-9_]+)\.(ts|js)$/;

async function sqlOf(migration: Migration, method: 'up' | 'down'): Promise<string[]> {
  migration.reset();
  await migration[method]();
  return migration.getQueries().map((q) => String(q).trim());
}

/** The SQL of a migration's up() and down(), whitespace-normalized, hashed: what "the migration" is. */
function checksumOf(up: string[], down: string[]): string {
  const normalized = (sql: string[]) => sql.map((q) => q.replace(/\s+/g, ' ')).join('\n');
  return createHash('sha256').update(`${normalized(up)}\n-- down\n${normalized(down)}`).digest('hex');
}

/**
 * Each migration file as loaded, by path: its SQL and checksum are computed once per process. A running
 * process cannot see a file change anyway (an ES module is imported once), so status, readiness and every
 * run read this instead of executing each migration's up() and down() again.
 */
const loaded = new Map<string, Promise<MigrationFile>>();

async function loadMigration(orm: MikroORM, dir: string, file: string, name: string): Promise<MigrationFile> {
  const path = join(dir, file);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const MigrationClass = Object.values(module).find((value) => typeof value === 'function') as
    | (new (driver: unknown, config: unknown) => Migration)
    | undefined;
  if (!MigrationClass) throw new Error(`${file} exports no migration class`);
  const migration = new MigrationClass(orm.em.getDriver(), orm.config);
  const [up, down] = [await sqlOf(migration, 'up'), await sqlOf(migration, 'down')];
  return { name, path, checksum: checksumOf(up, down), up, down, transactional: migration.isTransactional() };
}

/**
 * The committed migrations with their checksums, in name order. Sources (.ts) and builds (.js) produce the
 * same SQL, so a rebuild never looks like an edit.
 */
export async function readMigrationFiles(orm: MikroORM): Promise<MigrationFile[]> {
  const options = orm.config.get('migrations');
  const dir = options.path as string;
  const extension = orm.config.get('preferTs') ? 'ts' : 'js';
  const files = readdirSync(dir)
    .map((file) => NAME.exec(file))
    .filter((match): match is RegExpExecArray => match !== null && match[2] === extension)
    .sort((a, b) => a[1].localeCompare(b[1]));
  const out: MigrationFile[] = [];
  for (const [file, name] of files) {
    const path = join(dir, file);
    if (!loaded.has(path)) loaded.set(path, loadMigration(orm, dir, file, name).catch((error: unknown) => {
      loaded.delete(path);
      throw error;
    }));
    out.push(await (loaded.get(path) as Promise<MigrationFile>));
  }
  return out;
}

/**
 * Whether the file is what was applied: its checksum is the one recorded when it ran, or the one a repair
 * accepted. Either way nothing is left to do (an edit undone after its repair needs no second repair).
 */
export function checksumMatches(row: AppliedRow, file: MigrationFile): boolean {
  return row.checksum === null || row.checksum === file.checksum || row.checksum_as_applied === file.checksum;
}

/**
 * What makes the history untrustworthy: an applied migration whose file changed (its checksum is neither
 * the one recorded when it ran nor one a repair accepted) or is gone.
 */
export function findProblems(applied: AppliedRow[], files: MigrationFile[]): HistoryProblem[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const problems: HistoryProblem[] = [];
  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) problems.push({ kind: 'missing', name: row.name });
    else if (!checksumMatches(row, file)) problems.push({ kind: 'changed', name: row.name });
  }
  return problems;
}

/**
 * Pending migrations that sort before the last applied one (by name): merged from a branch written before
 * it, or renamed. Applying one runs it after migrations written later than it, so `up` asks first.
 */
export function outOfOrder(applied: AppliedRow[], files: MigrationFile[]): string[] {
  const appliedNames = new Set(applied.map((a) => a.name));
  const last = [...appliedNames].sort().pop();
  return files.filter((f) => !appliedNames.has(f.name) && last !== undefined && f.name < last).map((f) => f.name);
}
