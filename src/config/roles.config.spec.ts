import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './env-parsers.js';
import { loadRolesConfig } from './roles.config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadRolesConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadRolesConfig', () => {
  it('defaults the role names and leaves passwords unset', () => {
    const config = loadRolesConfig({ DATABASE_ADMIN_URL: 'postgres://postgres@db/ledger' });
    expect(config.adminUrl.pathname).toBe('/ledger');
    expect(config.owner).toEqual({ name: 'pipeline_ledger_owner', password: undefined });
    expect(config.app).toEqual({ name: 'pipeline_ledger_app', password: undefined });
  });

  it('falls back to MIGRATIONS_DATABASE_URL for the admin connection', () => {
    expect(loadRolesConfig({ MIGRATIONS_DATABASE_URL: 'postgres://owner@db/ledger' }).adminUrl.username).toBe('owner');
  });

  it('names every bad variable at once and never echoes a password', () => {
    const problems = problemsOf({ DB_OWNER_ROLE: 'Ledger Owner', DB_APP_PASSWORD: 'short secret' });
    expect(problems).toEqual([
      'DATABASE_ADMIN_URL must be set: the URL of a role that may create roles, on the database to set up',
      'DB_OWNER_ROLE must be a lower-case identifier: a-z, 0-9 and _, at most 63 characters (got "Ledger Owner")',
      'DB_APP_PASSWORD must be at least 12 printable ASCII characters without spaces',
    ]);
    expect(problems.join(' ')).not.toContain('short secret');
  });

  it('refuses one role for both purposes', () => {
    expect(problemsOf({ DATABASE_ADMIN_URL: 'postgres://db/ledger', DB_OWNER_ROLE: 'ledger', DB_APP_ROLE: 'ledger' })).toEqual([
      'DB_OWNER_ROLE and DB_APP_ROLE must differ (both "ledger")',
    ]);
  });
});
