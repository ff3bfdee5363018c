import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Level } from 'pino';
import { requestScope, type RootLogger } from './logging.js';

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

/** What is logged of a request: the headers go through the root logger's redaction of credentials. */
function describeRequest(request: FastifyRequest) {
  const { socket } = request.raw;
  return { id: request.id, method: request.method, url: request.url, headers: request.headers, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort };
}

/**
 * One line per request when it has been answered ("request completed", or "request errored" for a 5xx)
 * with `req`, `res.statusCode` and `responseTime` in milliseconds, and the request's id on every line
 * logged while it is served (see requestScope). Fastify hooks rather than an HTTP middleware: at a level
 * that drops the line, a request costs one AsyncLocalStorage entry and one level check.
 */
export function registerRequestLogging(fastify: FastifyInstance, root: RootLogger): void {
  // enterWith, not run(): Fastify's hooks do not wrap the rest of the request's handling. Node carries
  // the store on from here into the body parser, the route and the response hooks (test/logging.e2e-spec.ts).
  fastify.addHook('onRequest', (request, _reply, done) => {
    requestScope.enterWith({ requestId: request.id });
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const status = reply.statusCode;
    const level = levelOf(request, status);
    if (root.isLevelEnabled(level)) {
      const fields = { req: describeRequest(request), res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
      root[level](fields, status >= 500 ? 'request errored' : 'request completed');
    }
    done();
  });
  // The client went away before an answer: nothing else would say what became of the request.
  fastify.addHook('onRequestAbort', (request, done) => {
    if (root.isLevelEnabled('info')) root.info({ req: describeRequest(request) }, 'request aborted');
    done();
  });
}
