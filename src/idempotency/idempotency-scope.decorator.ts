import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Whose Idempotency-Key, on which route: two clients, or two routes, never share a key. */
export interface IdempotencyScope {
  /** The API key the request was authenticated with (the guard's principal). */
  apiKeyId: string;
  /** Method and route template, e.g. "POST /v1/metrics". */
  route: string;
  /** The Idempotency-Key header, as the route's schema accepted it. */
  key: string;
}

/**
 * The request's Idempotency-Key with the API key and route it belongs to, or undefined without the header.
 * Only for authenticated routes: a key with no principal is a wiring mistake, and fails the request rather
 * than sharing the key between clients.
 */
export const Idempotency = createParamDecorator((_: unknown, context: ExecutionContext): IdempotencyScope | undefined => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return undefined;
  if (request.principal === undefined) throw new Error('an Idempotency-Key on a route without an API key');
  return { apiKeyId: request.principal.id, route: `${request.method} ${request.routeOptions.url}`, key };
});
