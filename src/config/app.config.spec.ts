import { describe, expect, it } from '@jest/globals';
import { describeDatabase, loadConfig } from './app.config.js';
import { ConfigError } from './env-parsers.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('without DATABASE_URL uses the embedded database and migrates on boot', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.migrations.onBoot).toBe('up');
    expect(config.database.pool).toEqual({ min: 0, max: 10, idleTimeoutMs: 30_000 });
    expect(config.port).toBe(3000);
    expect(config.embedded.port).toBe(54329);
  });

  it('with DATABASE_URL defaults to checking, not applying, migrations on boot', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app:pw@db.internal:6543/ledger' });
    expect(config.database.url?.hostname).toBe('db.internal');
    expect(config.migrations.onBoot).toBe('check');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://db/ledger',
      DB_POOL_MIN: '2',
      DB_POOL_MAX: '20',
      DB_POOL_IDLE_TIMEOUT_MS: '1000',
      DB_CONNECT_TIMEOUT_MS: '2000',
      DB_STATEMENT_TIMEOUT_MS: '0',
      DB_BOOT_RETRY_MS: '500',
      MIGRATIONS_ON_BOOT: 'off',
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DATA_DIR: '/tmp/ledger-data',
      EMBEDDED_PG_PORT: '5999',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'debug',
      migrations: { onBoot: 'off' },
      embedded: { dataDir: '/tmp/ledger-data', port: 5999 },
      database: {
        pool: { min: 2, max: 20, idleTimeoutMs: 1000 },
        connectTimeoutMs: 2000,
        statementTimeoutMs: 0,
        bootRetryMs: 500,
      },
    });
  });

  it('reports every bad variable at once, naming it and the accepted values', () => {
    expect(
      problemsOf({ DB_POOL_MAX: '0', PORT: 'eighty', LOG_LEVEL: 'loud', MIGRATIONS_ON_BOOT: 'yes', DB_POOL_MIN: '1.5' }),
    ).toEqual([
      'DB_POOL_MIN must be an integer from 0 to 1000 (got "1.5")',
      'DB_POOL_MAX must be an integer from 1 to 1000 (got "0")',
      'PORT must be an integer from 0 to 65535 (got "eighty")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, verbose (got "loud")',
      'MIGRATIONS_ON_BOOT must be one of up, check, off (got "yes")',
    ]);
  });

  it('rejects a pool minimum above its maximum', () => {
    expect(problemsOf({ DB_POOL_MIN: '5', DB_POOL_MAX: '4' })).toEqual(['DB_POOL_MIN (5) must not exceed DB_POOL_MAX (4)']);
  });

  it('rejects a header timeout above the whole request timeout (Node would refuse to create the server)', () => {
    expect(problemsOf({ REQUEST_TIMEOUT_MS: '5000', REQUEST_HEADERS_TIMEOUT_MS: '6000' })).toEqual([
      'REQUEST_HEADERS_TIMEOUT_MS (6000) must not exceed REQUEST_TIMEOUT_MS (5000)',
    ]);
  });

  it('rejects a bad DATABASE_URL without echoing it, since it may hold a password', () => {
    const problems = [
      ...problemsOf({ DATABASE_URL: 'mysql://u:hunter2@db/x' }),
      ...problemsOf({ DATABASE_URL: 'not a url hunter2' }),
      ...problemsOf({ DATABASE_URL: 'postgres://u:hunter2@db' }),
    ];
    expect(problems).toHaveLength(3);
    for (const problem of problems) {
      expect(problem).toMatch(/^DATABASE_URL /);
      expect(problem).not.toContain('hunter2');
    }
  });
});

describe('describeDatabase', () => {
  it('keeps host, port and database and drops the credentials', () => {
    expect(describeDatabase(new URL('postgres://app:s3cret@db.internal/ledger'))).toBe('db.internal:5432/ledger');
    expect(describeDatabase(new URL('postgres://app:s3cret@10.0.0.5:6432/ledger'))).toBe('10.0.0.5:6432/ledger');
  });
});

describe('DATABASE_URL parameters', () => {
  it('accepts sslmode and refuses parameters that would be dropped silently', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/ledger?sslmode=require' }).database.url?.searchParams.get('sslmode')).toBe('require');
    expect(problemsOf({ DATABASE_URL: 'postgres://db/ledger?sslmode=sometimes' })).toEqual([
      'DATABASE_URL sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full (got "sometimes")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgres://db/ledger?options=-c%20search_path%3Dx' })).toEqual([
      'DATABASE_URL parameter "options" is not supported (only sslmode is)',
    ]);
  });
});
