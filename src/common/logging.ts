import type { IncomingMessage } from 'node:http';
import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/app.config.js';
import { pinoLevel } from './log-levels.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

export type RootLogger = Logger;

/** Headers that carry credentials, in requests and responses: their values never reach a log line. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie'];
export const REDACT_PATHS = ['req.headers', 'res.headers', 'headers'].flatMap((at) => SECRET_HEADERS.map((name) => `${at}["${name}"]`));

// A password in a connection URL (postgres://user:secret@host) or in a libpq key/value string (password=secret).
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^:/?#@\s]*):[^@\s]*@/gi;
const KEY_VALUE_PASSWORD = /\b(password\s*=\s*)('[^']*'|"[^"]*"|[^\s'"]+)/gi;

/** Masks database passwords in text we log: error messages and stacks can quote a connection string. */
export function scrubSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1:[REDACTED]@').replace(KEY_VALUE_PASSWORD, '$1[REDACTED]');
}

/** pino's error serializer, with message and stack scrubbed; pino-http hands it errors already serialized. */
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
 * The one pino logger of the process: JSON lines on stdout, at LOG_LEVEL, credentials redacted. main.ts
 * logs through it before Nest exists; nestjs-pino derives the request loggers and Nest's Logger from it.
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): RootLogger {
  const options = {
    level: pinoLevel(level),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: { err: serializeError },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)));
      },
    },
  };
  return pino(options, destination ?? (stdout ??= pino.destination({ dest: 1, sync: true })));
}

const isProbe = (req: IncomingMessage) => /^\/health\//.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '');

/**
 * nestjs-pino over `root`: one "request completed" line per request (successful probes at debug, so
 * that a probe every few seconds does not drown the rest), and every line logged while serving a
 * request carries its `request_id`: the id Fastify assigned (see app.factory.ts), or the same rule.
 */
export function loggingModule(root: RootLogger): DynamicModule {
  return LoggerModule.forRoot({
    // Every request, 404s included. nestjs-pino's default route ({/*splat}) never matches on Fastify here:
    // @fastify/middie only ran it for plugin routes such as /docs. This is the pattern MikroORM uses.
    forRoutes: [{ path: '{*all}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: root,
      genReqId: (req) => req.id ?? requestIdFrom(req.headers[REQUEST_ID_HEADER]),
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'request_id' },
      // pino-http would otherwise replace the root's error serializer with the unscrubbed default. Of the
      // response, the status is what matters: its headers are the same on every line.
      serializers: { err: serializeError, res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }) },
      // The error itself is on the error filter's line, under the same request_id; pino-http would add
      // an Error of its own here ("failed with status code 500") whose stack points into pino-http.
      customErrorObject: (_req, _res, _error, { err: _err, ...fields }: Record<string, unknown>) => fields,
      customLogLevel: (req, res, error) => {
        // A 503 is a known condition (the database is away), already logged once by the error filter.
        if (res.statusCode === 503) return 'warn';
        if (error || res.statusCode >= 500) return 'error';
        return isProbe(req) && res.statusCode < 400 ? 'debug' : 'info';
      },
    },
  });
}
