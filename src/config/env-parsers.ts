/** Parsers for single environment variables. Each error names the variable and what it accepts. */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Collects every problem before failing, so one boot shows all bad variables at once. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  /** A PostgreSQL URL; the value is never echoed back because it may carry a password. */
  postgresUrl(name: string): URL | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.problems.push(`${name} must be a URL like postgres://user:password@host:5432/database`);
      return undefined;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      this.problems.push(`${name} must use the postgres:// or postgresql:// scheme (got "${url.protocol}")`);
      return undefined;
    }
    if (url.pathname.replace(/^\//, '') === '') {
      this.problems.push(`${name} must name a database, as in postgres://host:5432/database`);
      return undefined;
    }
    // The driver is configured from the URL's parts, so a parameter we do not translate would be
    // dropped silently (an ignored sslmode=require means an unencrypted connection): refuse it instead.
    for (const [key, value] of url.searchParams) {
      if (key !== 'sslmode') {
        this.problems.push(`${name} parameter "${key}" is not supported (only sslmode is)`);
      } else if (!SSL_MODES.includes(value as SslMode)) {
        this.problems.push(`${name} sslmode must be one of ${SSL_MODES.join(', ')} (got "${value}")`);
      }
    }
    return url;
  }

  /** A comma-separated list; unset or empty is an empty list. */
  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }
}
