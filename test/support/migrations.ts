import { readdirSync } from 'node:fs';

/** The committed migrations' names, in the order they run. */
export const COMMITTED_MIGRATIONS = readdirSync('migrations')
  .filter((f) => /^\d{8}_\d{6}_.+\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

export const LATEST_MIGRATION = COMMITTED_MIGRATIONS[COMMITTED_MIGRATIONS.length - 1];
