import { prefixOf } from '../common/api-key-format.js';
import { ConfigError, EnvReader, type Env } from './env-parsers.js';

/**
 * What the `run` wrapper needs to reach a Pipeline Ledger service over HTTP: a client's settings, read on
 * the machine where a cron job runs, not the service's (it has no DATABASE_URL and needs none).
 */
export interface ClientConfig {
  /** The service's base URL, e.g. https://ledger.internal:3000 or https://gw.example/ledger (a path prefix). */
  url: URL;
  /** Sent as `Authorization: Bearer …`; never printed. */
  apiKey: string;
  /** Each request to the service gives up after this, so a hung service never holds the job. */
  timeoutMs: number;
}

/** The service's base URL: http(s), no credentials (the key goes in a header), no query or fragment. */
function serviceUrl(read: EnvReader, name: string): URL | undefined {
  const value = read.raw(name);
  let url: URL | undefined;
  try {
    url = value === undefined ? undefined : new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    read.problems.push(`${name} must be the service's http:// or https:// URL, like https://ledger.internal:3000`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    read.problems.push(`${name} must not hold credentials, a query or a fragment (the key goes in PIPELINE_LEDGER_API_KEY)`);
    return undefined;
  }
  return url;
}

/** Reads and validates the wrapper's environment; throws a ConfigError naming every bad variable, never a value. */
export function loadClientConfig(env: Env = process.env): ClientConfig {
  const read = new EnvReader(env);
  const url = serviceUrl(read, 'PIPELINE_LEDGER_URL');
  const apiKey = read.raw('PIPELINE_LEDGER_API_KEY');
  if (apiKey === undefined || prefixOf(apiKey) === undefined) {
    read.problems.push('PIPELINE_LEDGER_API_KEY must be an API key with the ingest scope, as `api-keys create` prints it (pl_…)');
  }
  const timeoutMs = read.int('PIPELINE_LEDGER_TIMEOUT_MS', 5_000, 100, 60_000);
  if (read.problems.length > 0 || url === undefined || apiKey === undefined) throw new ConfigError(read.problems);
  return { url, apiKey, timeoutMs };
}

/**
 * The environment a wrapped command runs with: the wrapper's own (as a shell passes it on) without
 * PIPELINE_LEDGER_API_KEY, plus `extra`. The key is the wrapper's: a command (or what it runs, or what it
 * logs in a crash dump) has no need of it; one that posts about itself gets its own key another way.
 */
export function commandEnvironment(extra: Record<string, string>, env: Env = process.env): Record<string, string | undefined> {
  const { PIPELINE_LEDGER_API_KEY: _key, ...rest } = env;
  return { ...rest, ...extra };
}
