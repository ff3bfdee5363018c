import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level } from 'pino';
import { requestScope, type RootLogger } from '../logging/logging.js';
import { credentialParameter, problemInstance } from './query-credentials.js';

const isProbe = (url: string) => url.startsWith('/health/');

/**
 * A 503 is a known condition (the database is away), already logged once by the error filter; a
 * successful probe every few seconds would drown the rest, so it is at debug.
 */
function levelOf(request: FastifyRequest, status: number): Level {
  if (status === 503) return 'warn';
  if (status >= 500) return 'error';
  return status < 400 && isProbe(request.url) ? 'debug' : 'info';
}

/**
 * What is logged of a request: the headers go through the root logger's redaction of credentials (and of
 * anything shaped like an API key). A query string holding a credential (refused, query-credentials.ts)
 * is left out whole: a key percent-encoded would not be recognised by its shape.
 */
function describeRequest(request: FastifyRequest) {
  const { socket } = request.raw;
  const withCredential = credentialParameter(request.url) !== undefined;
  return {
    id: request.id,
    method: request.method,
    url: withCredential ? `${problemInstance(request.url)}?[REDACTED]` : request.url,
    query: withCredential ? '[REDACTED]' : request.query,
    params: request.params,
    headers: request.headers,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
  };
}

/**
 * Opens the log scope of a request: every line logged from here on in what the request's handling goes on
 * to do carries its request_id. enterWith, not run(): nothing here wraps the rest of the handling, so the
 * store is set for the current execution and what it schedules. app.factory.ts calls this where Fastify
 * assigns the id, before any hook (CORS answers preflights from one), and the preValidation hook below
 * again once the body has been read, in case the body's arrival ran in another context.
 */
export function enterRequestScope(requestId: string): void {
  requestScope.enterWith({ requestId });
}

/**
 * One line per request when it has been answered ("request completed", or "request errored" for a 5xx)
 * with `req`, `res.statusCode` and `responseTime` in milliseconds, and the request's id on every line
 * logged while it is served (see enterRequestScope). Fastify hooks rather than an HTTP middleware: at a
 * level that drops the line, a request costs two AsyncLocalStorage entries and a level check.
 */
export function registerRequestLogging(fastify: FastifyInstance, root: RootLogger): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    enterRequestScope(request.id);
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const status = reply.statusCode;
    const level = levelOf(request, status);
    if (root.isLevelEnabled(level)) {
      // request_id given here too: the response is finished from the socket's context, not the request's.
      const fields = { request_id: request.id, req: describeRequest(request), res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime) };
      root[level](fields, status >= 500 ? 'request errored' : 'request completed');
    }
    done();
  });
  // The client went away before an answer: nothing else would say what became of the request.
  fastify.addHook('onRequestAbort', (request, done) => {
    if (root.isLevelEnabled('info')) root.info({ request_id: request.id, req: describeRequest(request) }, 'request aborted');
    done();
  });
}
