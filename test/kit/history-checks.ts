// Check 1: the migrations form one line. Two branches that each added a migration merge into a history that
// every database reaches in a different order; these checks catch that from the files alone, without git.
import { expect } from '@jest/globals';
import { readdirSync } from 'node:fs';
import {
  DEFAULT_NAME_PATTERN,
  DEFAULT_TIMESTAMP_PATTERN,
  isMigrationSource,
  KitFailure,
  step,
  withFreshRunner,
  type KitRunner,
  type MigrationKitOptions,
} from './kit-options.js';

const withoutExtension = (file: string) => file.replace(/\.[cm]?[jt]s$/, '');

/**
 * What is wrong with a folder's migration files: a name given twice (x.ts beside x.js), a name off the
 * pattern, two names with one timestamp. Empty when the files can form a single line.
 */
export function historyProblems(
  files: string[],
  patterns: { name?: RegExp; timestamp?: RegExp } = {},
): string[] {
  const namePattern = patterns.name ?? DEFAULT_NAME_PATTERN;
  const timestampPattern = patterns.timestamp ?? DEFAULT_TIMESTAMP_PATTERN;
  const problems: string[] = [];
  const filesByName = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    const name = withoutExtension(file);
    filesByName.set(name, [...(filesByName.get(name) ?? []), file]);
  }
  const byTimestamp = new Map<string, string[]>();
  for (const [name, sameName] of filesByName) {
    if (sameName.length > 1) problems.push(`${name} is defined more than once: ${sameName.join(', ')}`);
    if (!namePattern.test(name)) problems.push(`${name} does not match ${namePattern}`);
    const stamp = timestampPattern.exec(name)?.[0];
    if (stamp !== undefined) byTimestamp.set(stamp, [...(byTimestamp.get(stamp) ?? []), name]);
  }
  for (const [stamp, names] of byTimestamp) {
    if (names.length > 1) problems.push(`${names.join(' and ')} share the timestamp ${stamp}: their order is an accident`);
  }
  return problems;
}

/**
 * Whether applying `pending` after `applied` keeps the history sorted: a pending migration that sorts before
 * one already applied was written on another branch, and runs out of order here. Empty when none does.
 */
export function orderProblems(applied: string[], pending: string[]): string[] {
  const problems: string[] = [];
  applied.forEach((name, i) => {
    if (i > 0 && name < applied[i - 1]) problems.push(`${name} was applied after ${applied[i - 1]} but sorts before it`);
  });
  const last = applied.reduce<string | undefined>((max, name) => (max === undefined || name > max ? name : max), undefined);
  for (const name of pending) {
    if (last !== undefined && name < last) problems.push(`${name} is pending but sorts before ${last}, which is applied`);
  }
  pending.forEach((name, i) => {
    if (i > 0 && name < pending[i - 1]) problems.push(`${name} would run after ${pending[i - 1]} but sorts before it`);
  });
  return problems;
}

/** For a database that has a history (a staging copy, say): nothing pending sorts before what is applied. */
export async function checkAppliedOrder(runner: KitRunner, subject = 'the migration history'): Promise<void> {
  const problems = orderProblems(await runner.applied(), await runner.pending());
  if (problems.length > 0) throw new KitFailure(subject, 'is not a single line', problems.map((p) => ` - ${p}`).join('\n'));
}

/** Files: unique, well named, one per timestamp. Runner: on an empty database, pending is exactly the files, sorted. */
export async function checkLinearHistory(options: MigrationKitOptions): Promise<void> {
  const isMigration = options.isMigrationFile ?? isMigrationSource;
  const files = readdirSync(options.migrationsDir).filter(isMigration);
  const subject = `the migrations in ${options.migrationsDir}`;
  if (files.length === 0) throw new KitFailure(subject, 'none found: nothing would be checked');
  const problems = historyProblems(files, { name: options.namePattern, timestamp: options.timestampPattern });
  if (problems.length > 0) throw new KitFailure(subject, 'do not form a single line', problems.map((p) => ` - ${p}`).join('\n'));
  const sorted = [...new Set(files.map(withoutExtension))].sort();
  await withFreshRunner(options, async (runner) => {
    await step(subject, 'an empty database has nothing applied', async () => expect(await runner.applied()).toEqual([]));
    await step(subject, "the runner's pending list on an empty database is not the files in sorted order", async () =>
      expect(await runner.pending()).toEqual(sorted),
    );
    await checkAppliedOrder(runner, subject);
  });
}
