import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PGBOSS_SCHEMA_VERSION } from './pgboss-schema.js';

const packageDir = dirname(createRequire(import.meta.url).resolve('pg-boss'));
const read = (file: string) => JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as { version: number | string };

describe('the pg-boss schema our migrations install', () => {
  it('is the version the installed package expects (an upgrade that changes it needs a migration: docs/jobs.md)', () => {
    expect(read('schema.json').version).toBe(PGBOSS_SCHEMA_VERSION);
  });

  it('comes from the exact package version the install migration froze', () => {
    expect(read('../package.json').version).toBe('12.38.1');
  });
});
