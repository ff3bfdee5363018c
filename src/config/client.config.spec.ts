import { describe, expect, it } from '@jest/globals';
import { commandEnvironment, loadClientConfig } from './client.config.js';
import { ConfigError } from './env-parsers.js';

const KEY = `pl_0123abcd_${'s'.repeat(43)}`;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadClientConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadClientConfig (the run wrapper)', () => {
  it('reads the service URL (a path prefix kept), the key and the timeout', () => {
    const config = loadClientConfig({ PIPELINE_LEDGER_URL: 'https://gw.example/ledger', PIPELINE_LEDGER_API_KEY: KEY, PIPELINE_LEDGER_TIMEOUT_MS: '2500' });
    expect({ url: config.url.href, key: config.apiKey === KEY, timeoutMs: config.timeoutMs }).toEqual({ url: 'https://gw.example/ledger', key: true, timeoutMs: 2500 });
  });

  it.each([
    ['unset', {}, 'PIPELINE_LEDGER_URL must be'],
    ['not a URL', { PIPELINE_LEDGER_URL: 'ledger:3000x' }, 'PIPELINE_LEDGER_URL must be'],
    ['another scheme', { PIPELINE_LEDGER_URL: 'postgres://db/ledger' }, 'PIPELINE_LEDGER_URL must be'],
    ['credentials in it', { PIPELINE_LEDGER_URL: 'https://me:hunter2hunter2@ledger.example' }, 'PIPELINE_LEDGER_URL must not hold credentials'],
    ['a query', { PIPELINE_LEDGER_URL: 'https://ledger.example/?token=x' }, 'PIPELINE_LEDGER_URL must not hold credentials, a query'],
  ])('refuses a URL %s, naming the variable and never echoing the value', (_what, env, message) => {
    const problems = problemsOf({ PIPELINE_LEDGER_API_KEY: KEY, ...env });
    expect(problems).toEqual([expect.stringContaining(message)]);
    expect(problems.join()).not.toMatch(/hunter2|token=x|db\/ledger/);
  });

  it('refuses a missing or malformed key without echoing it', () => {
    const url = { PIPELINE_LEDGER_URL: 'http://127.0.0.1:3000' };
    expect(problemsOf(url)).toEqual([expect.stringMatching(/^PIPELINE_LEDGER_API_KEY must be/)]);
    const problems = problemsOf({ ...url, PIPELINE_LEDGER_API_KEY: 'Bearer my-secret-token' });
    expect(problems).toEqual([expect.stringMatching(/^PIPELINE_LEDGER_API_KEY must be/)]);
    expect(problems.join()).not.toContain('my-secret-token');
  });

  it('gives a wrapped command the environment without the wrapper\'s key, plus what the wrapper adds', () => {
    expect(commandEnvironment({ PIPELINE_LEDGER_EXECUTION_ID: 'id' }, { PATH: '/bin', HOME: '/root' })).toEqual({ PATH: '/bin', HOME: '/root', PIPELINE_LEDGER_EXECUTION_ID: 'id' });
    expect(commandEnvironment({ PIPELINE_LEDGER_EXECUTION_ID: 'id' }, { PATH: '/bin', PIPELINE_LEDGER_API_KEY: KEY, PIPELINE_LEDGER_URL: 'https://x' })).toEqual({
      PATH: '/bin',
      PIPELINE_LEDGER_URL: 'https://x',
      PIPELINE_LEDGER_EXECUTION_ID: 'id',
    });
  });
});
