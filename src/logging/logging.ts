import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/app.config.js';
import { pinoLevel } from './log-levels.js';
import { redactApiKeys, redactApiKeysIn } from './redaction.js';

export type RootLogger = Logger;

/** Headers that carry credentials, in requests and responses: their values never reach a log line. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie', 'set-cookie'];
export const REDACT_PATHS = ['req.headers', 'res.headers', 'headers'].flatMap((at) => SECRET_HEADERS.map((name) => `${at}["${name}"]`));

// A password in a connection URL (postgres://user:secret@host) or in a libpq key/value string (password=secret).
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^:/?#@\s]*):[^@\s]*@/gi;
const KEY_VALUE_PASSWORD = /\b(password\s*=\s*)('[^']*'|"[^"]*"|[^\s'"]+)/gi;

/**
 * Masks database passwords and API keys in text we log: error messages and stacks can quote a connection
 * string, and a message can quote a URL a client put a key in.
 */
export function scrubSecrets(text: string): string {
  return redactApiKeys(text.replace(URL_PASSWORD, '$1:[REDACTED]@').replace(KEY_VALUE_PASSWORD, '$1[REDACTED]'));
}

/** pino's error serializer, with message and stack scrubbed; errors may arrive already serialized. */
function serializeError(error: unknown): unknown {
  const serialized = (error instanceof Error ? stdSerializers.err(error) : error) as Record<string, unknown> | null;
  if (serialized === null || typeof serialized !== 'object') return serialized;
  const scrubbed = { ...serialized };
  for (const key of ['message', 'stack'] as const) {
    if (typeof scrubbed[key] === 'string') scrubbed[key] = scrubSecrets(scrubbed[key]);
  }
  return scrubbed;
}

// Synchronous writes: a line logged just before process.exit() (the last words of a shutdown or a crash)
// is not lost, and loggers created one after another (before and after the config is read) share one
// stream instead of interleaving long lines on stdout.
let stdout: DestinationStream | undefined;

/**
 * The request being served, if any: set by the request-logging hook (request-logging.ts) when a request
 * arrives, and carried by Node into everything that request's code goes on to do.
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Adds the request_id of the request being served to every line logged while serving it. */
function requestFields(): { request_id?: string } {
  const scope = requestScope.getStore();
  return scope ? { request_id: scope.requestId } : {};
}

/**
 * The one pino logger of the process: JSON lines on stdout, at LOG_LEVEL, credentials redacted, the
 * request_id of the request being served on every line. main.ts logs through it before Nest exists; the
 * request lines and Nest's Logger (nest-logger.ts) write through it too.
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): RootLogger {
  const options = {
    level: pinoLevel(level),
    timestamp: pino.stdTimeFunctions.isoTime,
    // log: an API key is redacted wherever a line's fields hold one (see redaction.ts).
    formatters: { level: (label: string) => ({ level: label }), log: (fields: Record<string, unknown>) => redactApiKeysIn(fields) as Record<string, unknown> },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: { err: serializeError },
    // A function call per line rather than a child logger per request: nothing is built for a request
    // that logs nothing, which at LOG_LEVEL=warn is nearly all of them.
    mixin: requestFields,
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)));
      },
    },
  };
  return pino(options, destination ?? (stdout ??= pino.destination({ dest: 1, sync: true })));
}
