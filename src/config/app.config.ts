import { resolve } from 'node:path';
import { ConfigError, EnvReader, type Env } from './env-parsers.js';

export const MIGRATIONS_ON_BOOT = ['up', 'check', 'off'] as const;
export type MigrationsOnBoot = (typeof MIGRATIONS_ON_BOOT)[number];

const BOOLEAN = ['true', 'false'] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  /** undefined means "use the embedded PostgreSQL"; its URL is known only once it has started. */
  url: URL | undefined;
  pool: { min: number; max: number; idleTimeoutMs: number };
  /** Bounds both opening a connection and waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** 0 disables the server-side statement timeout. */
  statementTimeoutMs: number;
  /** How long boot keeps retrying an unreachable database before giving up. */
  bootRetryMs: number;
  /** PostgreSQL lock_timeout for the session; 0 for none. Set for migrations only. */
  lockTimeoutMs: number;
}

export interface MetricsConfig {
  /** How far into the future recorded_at may be (clock skew between producers and us). */
  maxFutureSkewMs: number;
  metadataMaxBytes: number;
  batchBodyLimitBytes: number;
}

export interface SecurityConfig {
  /** Requests a key may make per window; 0 disables the limit. */
  rateLimit: { max: number; windowMs: number };
  /** Failed authentications an address may make per window before it gets 429; 0 disables the limit. */
  authFailures: { limit: number; windowMs: number };
  /** Origins allowed to call the API from a browser; empty: CORS off (no CORS headers at all). */
  corsOrigins: string[];
  /** Where the admin key created on first start is written (mode 0600). */
  adminKeyFile: string;
}

export interface HttpServerConfig {
  /** The whole request, headers and body, from its first byte; a slower one is answered 408 and closed. */
  requestTimeoutMs: number;
  /** The request's headers alone; at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between two requests. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed as they arrive. */
  maxConnections: number;
}

export interface JobsConfig {
  /** Off: no job library (no pg-boss connections, no workers, no ticks); the API serves as before. */
  enabled: boolean;
  /** How often an idle worker asks for new jobs. */
  pollIntervalMs: number;
  /** The interval of the built-in `jobs.heartbeat` tick, whose last completed slot readiness can report. */
  heartbeatIntervalMs: number;
  /** The interval of the `monitors.tick` task: how often freshness, duration and stalled monitors are evaluated. */
  monitorsIntervalMs: number;
}

/** The Prometheus endpoint: `/metrics` on a listener of its own, never on the API's port. */
export interface MetricsEndpointConfig {
  /** undefined: no listener (the default); 0: any free port (tests read the bound one from MetricsServer). */
  port: number | undefined;
  /** Loopback by default: the metrics name routes and volumes, which need not leave the machine. */
  host: string;
}

export interface AppConfig {
  host: string;
  port: number;
  metricsEndpoint: MetricsEndpointConfig;
  security: SecurityConfig;
  /** How long SIGTERM waits for requests in flight before closing anyway. */
  shutdownGraceMs: number;
  /** Largest request body for every route but the metrics batch. */
  bodyLimitBytes: number;
  /** Hostile-client bounds of the HTTP server: see the Limits table of docs/security.md. */
  http: HttpServerConfig;
  metrics: MetricsConfig;
  jobs: JobsConfig;
  /** The built-in run_failed monitor on top-level pipelines (docs/monitors.md): on unless switched off here. */
  monitorDefaults: { runFailed: boolean };
  incidents: {
    /** A re-fire this soon after an incident resolved reopens it instead of opening a new one (docs/incidents.md). */
    reopenWindowMs: number;
  };
  logLevel: LogLevel;
  database: DatabaseConfig;
  migrations: {
    onBoot: MigrationsOnBoot;
    /** Wait for another migration run (the advisory lock). */
    lockTimeoutMs: number;
    /** Wait of each DDL statement for its table lock, and how often a run is retried after such a wait. */
    ddlLockTimeoutMs: number;
    ddlLockRetries: number;
    /** statement_timeout of migration sessions; 0 for none. */
    statementTimeoutMs: number;
    dir: string | undefined;
    /** The owner role's URL, for migrations when the service runs as a less privileged role; else DATABASE_URL. */
    url: URL | undefined;
    /** Apply pending migrations that sort before an applied one (a merged branch) instead of refusing. */
    allowOutOfOrder: boolean;
    /** What guards the commands that destroy data (down --to 0, migration:fresh): see destructive-guard.ts. */
    guard: { force: boolean; production: boolean };
  };
  embedded: { dataDir: string; port: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const url = read.postgresUrl('DATABASE_URL');
  const embedded = read.raw('DATABASE_URL') === undefined;
  const poolMin = read.int('DB_POOL_MIN', 0, 0, 1000);
  const poolMax = read.int('DB_POOL_MAX', 10, 1, 1000);
  if (poolMin > poolMax) read.problems.push(`DB_POOL_MIN (${poolMin}) must not exceed DB_POOL_MAX (${poolMax})`);

  const dataDir = resolve(read.string('DATA_DIR', '.data'));
  const config: AppConfig = {
    host: read.string('HOST', '0.0.0.0'),
    port: read.int('PORT', 3000, 0, 65535),
    metricsEndpoint: {
      port: read.raw('METRICS_PORT') === undefined ? undefined : read.int('METRICS_PORT', 0, 0, 65535),
      host: read.string('METRICS_HOST', '127.0.0.1'),
    },
    security: {
      rateLimit: { max: read.int('RATE_LIMIT_MAX', 6000, 0, 1_000_000), windowMs: read.int('RATE_LIMIT_WINDOW_MS', 60_000, 100, 3_600_000) },
      authFailures: { limit: read.int('AUTH_FAILURE_LIMIT', 20, 0, 1_000_000), windowMs: read.int('AUTH_FAILURE_WINDOW_MS', 60_000, 1000, 3_600_000) },
      corsOrigins: read.list('CORS_ORIGINS'),
      adminKeyFile: resolve(dataDir, read.string('ADMIN_KEY_FILE', 'admin-api-key')),
    },
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    http: readHttpServer(read),
    metrics: {
      maxFutureSkewMs: read.int('METRICS_MAX_FUTURE_SKEW_MS', 300_000, 0, 86_400_000),
      metadataMaxBytes: read.int('METRICS_METADATA_MAX_BYTES', 16_384, 2, 1_048_576),
      batchBodyLimitBytes: read.int('METRICS_BATCH_BODY_LIMIT_BYTES', 16_777_216, 1024, 1_073_741_824),
    },
    jobs: {
      enabled: read.oneOf('JOBS_ENABLED', BOOLEAN, 'true') === 'true',
      // pg-boss polls at most every 500 ms.
      pollIntervalMs: read.int('JOBS_POLL_INTERVAL_MS', 2_000, 500, 600_000),
      heartbeatIntervalMs: read.int('JOBS_HEARTBEAT_INTERVAL_MS', 60_000, 1_000, 86_400_000),
      monitorsIntervalMs: read.int('MONITORS_INTERVAL_MS', 30_000, 1_000, 3_600_000),
    },
    monitorDefaults: { runFailed: read.oneOf('MONITORS_DEFAULT_RUN_FAILED', BOOLEAN, 'true') === 'true' },
    incidents: { reopenWindowMs: read.int('INCIDENTS_REOPEN_WINDOW_MS', 3_600_000, 0, 86_400_000) },
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    database: {
      url,
      pool: { min: poolMin, max: poolMax, idleTimeoutMs: read.int('DB_POOL_IDLE_TIMEOUT_MS', 30_000, 100, 86_400_000) },
      connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
      statementTimeoutMs: read.int('DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 86_400_000),
      bootRetryMs: read.int('DB_BOOT_RETRY_MS', 30_000, 0, 3_600_000),
      lockTimeoutMs: 0,
    },
    // The embedded database belongs to this process alone, so applying migrations is safe by default;
    // a shared database defaults to refusing to start until someone has migrated it on purpose.
    migrations: {
      onBoot: read.oneOf('MIGRATIONS_ON_BOOT', MIGRATIONS_ON_BOOT, embedded ? 'up' : 'check'),
      lockTimeoutMs: read.int('MIGRATIONS_LOCK_TIMEOUT_MS', 60_000, 0, 3_600_000),
      ddlLockTimeoutMs: read.int('MIGRATIONS_DDL_LOCK_TIMEOUT_MS', 5_000, 1, 600_000),
      ddlLockRetries: read.int('MIGRATIONS_DDL_LOCK_RETRIES', 3, 0, 100),
      statementTimeoutMs: read.int('MIGRATIONS_STATEMENT_TIMEOUT_MS', 0, 0, 86_400_000),
      // Another folder of migrations, e.g. a test's fixtures; default: migrations/ beside the ORM config.
      dir: read.raw('MIGRATIONS_DIR') === undefined ? undefined : resolve(read.string('MIGRATIONS_DIR', '')),
      url: read.postgresUrl('MIGRATIONS_DATABASE_URL'),
      allowOutOfOrder: read.oneOf('MIGRATIONS_ALLOW_OUT_OF_ORDER', BOOLEAN, 'false') === 'true',
      guard: { force: read.oneOf('MIGRATIONS_FORCE', BOOLEAN, 'false') === 'true', production: read.raw('NODE_ENV') === 'production' },
    },
    embedded: {
      dataDir,
      port: read.int('EMBEDDED_PG_PORT', 54329, 1, 65535),
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/**
 * Node checks its request and header timeouts only every connectionsCheckingInterval (app.factory.ts sets 1 s), so
 * values under a second would be rounded up anyway. The keep-alive idle outlasts a load balancer's (60 s by
 * default at AWS): the balancer must close an idle connection first, or it may
 * send a request on a socket we are closing and answer its client 502.
 */
function readHttpServer(read: EnvReader): HttpServerConfig {
  const requestTimeoutMs = read.int('REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000);
  const headersTimeoutMs = read.int('REQUEST_HEADERS_TIMEOUT_MS', 10_000, 1_000, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    read.problems.push(`REQUEST_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: read.int('KEEP_ALIVE_TIMEOUT_MS', 72_000, 1_000, 3_600_000),
    maxConnections: read.int('MAX_CONNECTIONS', 1_000, 1, 1_000_000),
  };
}

/** host:port/database of a URL, for messages: never the user name or password. */
export function describeDatabase(url: URL): string {
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
