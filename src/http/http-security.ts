import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// The API answers JSON only: nothing in a response may load, run or be framed.
const API_CSP = { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] };

// Swagger UI at /docs loads its scripts, styles and the spec from this origin and sets inline styles.
// No upgrade-insecure-requests: the service is often reached over plain HTTP (localhost, behind a proxy).
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const isDocsRoute = (url: string) => url === '/docs' || url.startsWith('/docs/');

/** Headers browsers may send to us and read from our answers when CORS is on. */
const CORS_POLICY = {
  methods: ['GET', 'POST'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
  exposedHeaders: ['X-Request-Id', 'Retry-After', 'Location'],
};

/**
 * The headers helmet sets for `options`, worked out once: helmet is a middleware that, called per request
 * (as @fastify/helmet does), parses its options and builds the CSP again each time. Ours do not depend on
 * the request, so they are computed at start-up by running helmet once against a recording response.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

const HELMET = { frameguard: { action: 'deny' } } as const;
const API_HEADERS = helmetHeaders({ ...HELMET, contentSecurityPolicy: { useDefaults: false, directives: API_CSP } });
const DOCS_HEADERS = helmetHeaders({ ...HELMET, contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });

/**
 * Helmet's security headers on every response, with a CSP per kind of route; CORS for exactly
 * `corsOrigins`, and none at all (not even on a preflight) when it is empty. Call before any route exists.
 */
export async function registerHttpSecurity(app: NestFastifyApplication, corsOrigins: string[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // On every answer, 404s and errors included: Fastify keeps headers set here whatever is sent later.
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    void reply.headers(route !== undefined && isDocsRoute(route) ? DOCS_HEADERS : API_HEADERS);
    done();
  });
  if (corsOrigins.length === 0) return;
  const allowed = new Set(corsOrigins);
  // A function rather than the list: for an origin it refuses, @fastify/cors then adds no CORS header at
  // all and leaves preflights unanswered (404), exactly as when CORS is off.
  app.enableCors({ origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)), ...CORS_POLICY });
}
