import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app.config.js';
import type { AccessOf } from './access.decorator.js';
import { bearerToken } from './api-key-credentials.js';
import type { ApiKeysService } from './api-keys.service.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import type { Clock } from '../jobs/clock.js';
import { InsufficientScopeError, InvalidApiKeyError, MissingApiKeyError, TooManyAuthFailuresError } from './auth.errors.js';

/**
 * Routes that need no key: the probes (@Public() in HealthController) and the API description. Every other
 * route is authenticated and its scope checked here, before its body is read; the guard checks both again
 * (and authenticates a request this hook let through, so a route missing from this list fails closed).
 */
const PUBLIC_PREFIXES = ['/health/', '/docs', '/openapi.json'];

const isPublic = (url: string) => PUBLIC_PREFIXES.some((prefix) => url.startsWith(prefix));

/**
 * Who is calling, in the first hook: a request without a valid key gets 401, and a key without the scope the
 * route declares (`accessOf`, read from the controllers' decorators) 403, before its body is read or parsed,
 * so such a client learns nothing of the schema and costs no parsing. Its body stays unread, so the
 * connection is closed after the answer rather than drained for the next request. Too many failures from
 * one address: 429 without a key lookup (AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW_MS, per process).
 */
export function registerAuthentication(fastify: FastifyInstance, keys: ApiKeysService, config: AppConfig, accessOf: AccessOf, clock: Clock): void {
  const { limit, windowMs } = config.security.authFailures;
  const failures = new AuthFailureLimiter(limit, windowMs, undefined, clock);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    if (request.is404 || url === undefined || request.method === 'OPTIONS' || isPublic(url)) return;
    const wait = failures.retryAfter(request.ip);
    if (wait > 0) refuse(reply, new TooManyAuthFailuresError(wait));
    const token = bearerToken(request.headers.authorization);
    const principal = token === undefined ? undefined : await keys.authenticate(token);
    if (principal) {
      const access = accessOf(request.method, url);
      if (access !== undefined && access !== 'public' && !principal.scopes.includes(access)) refuse(reply, new InsufficientScopeError(access));
      request.principal = principal;
      return;
    }
    failures.fail(request.ip);
    refuse(reply, token === undefined ? new MissingApiKeyError() : new InvalidApiKeyError());
  });
}

/** Thrown errors reach the problem filter like any other; the unread body is not waited for. */
function refuse(reply: FastifyReply, error: Error): never {
  void reply.header('connection', 'close');
  throw error;
}
