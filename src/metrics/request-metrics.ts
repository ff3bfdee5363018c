import type { FastifyInstance } from 'fastify';
import type { OpsMetrics } from './ops-metrics.service.js';

/** The route label of a request no route matched (404s, the router's own refusals): never the URL itself. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every answered request by method, route pattern and status. The pattern, not the URL: a label per
 * execution id or pipeline name would make a series per run and exhaust Prometheus. Fastify has measured
 * the time already (reply.elapsedTime, from the request's arrival); the observation costs about 0.4 µs a
 * request (docs/metrics.md). Requests the HTTP parser refuses before Fastify sees them (400, 431) are not counted.
 */
export function registerRequestMetrics(fastify: FastifyInstance, metrics: OpsMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
