import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import type { AppConfig, HttpServerConfig } from '../config/app.config.js';
import { registerHttpSecurity } from './http-security.js';
import { createRootLogger, type RootLogger } from '../logging/logging.js';
import { NestLogger } from '../logging/nest-logger.js';
import { enterRequestScope, registerRequestLogging } from './request-logging.js';
import { registerOpenApi } from './openapi.js';
import { accessLookup } from './route-access.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
import { configureValidation } from './validation.js';
import { serializersOnFirstUse } from './lazy-compile.js';
import { applyRouteLimits } from './route-limits.js';
import { registerQueryCredentialsCheck, replyProblem } from './query-credentials.js';
import { clientErrorHandler } from './client-errors.js';
import { boundStalledAnswers } from './stalled-answers.js';
import { registerBodyDecoding } from './body-decoding.js';
import { registerJsonParser } from './json-body.js';
import { registerAuthentication } from '../auth/authenticate.hook.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { requestDeadlineMs } from '../database/request-deadline.js';
import { registerDatabaseDeadline } from './database-deadline.js';
import { CLOCK } from '../jobs/clock.js';
import { OpsMetrics } from '../metrics/ops-metrics.service.js';
import { registerRequestMetrics } from '../metrics/request-metrics.js';

/** Our package.json: two levels up from src/http/, three from dist/src/http/. */
function packageVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // not at this depth
    }
  }
  return '0.0.0';
}

/** Node checks the header and request timeouts of open connections this often (its default: 30 s). */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * A client that trickles its headers or body is answered 408 and closed after the timeout (Fastify's own
 * requestTimeout is 0: none), so slow clients cannot pile up until the process runs out of file descriptors.
 */
function serverTimeouts(limits: HttpServerConfig) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    },
  };
}

/**
 * Builds the HTTP application exactly as production runs it; the e2e suites use this too. `log` is the
 * process's root logger (main.ts has logged through it already); by default one at LOG_LEVEL.
 */
export async function createApp(config: AppConfig, log: RootLogger = createRootLogger(config.logLevel)): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    ...serverTimeouts(config.http),
    // request.id is the caller's X-Request-Id if acceptable, else a UUID; Fastify's own header option
    // would take any value verbatim.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
      enterRequestScope(id);
      return id;
    },
    // On close, idle keep-alive sockets are closed at once; requests in flight still finish (main.ts).
    forceCloseConnections: 'idle',
    // Pipeline names may be 512 characters (OpenLineage's "namespace/job"), three times that percent-encoded.
    // (A router option: as a top-level option Fastify 5 warns that it is deprecated, on every start.)
    routerOptions: { maxParamLength: 2048 },
    // Response serializers built on a route's first answer with a status, not all of them at start-up.
    schemaController: { compilersFactory: serializersOnFirstUse() },
    // The router's own refusals (a malformed percent-encoding, a too-long parameter) as problem+json too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => replyProblem(error, request, reply),
    // And Node's HTTP parser's (bad header bytes, conflicting Content-Length, 431), before any request exists.
    clientErrorHandler: clientErrorHandler(log),
  });
  // Past the cap, Node closes each new connection at once: file descriptors stay for the pool and real clients.
  adapter.getInstance().server.maxConnections = config.http.maxConnections;
  registerRequestLogging(adapter.getInstance(), log);
  // Before authentication: the key lookup is the request's first database call.
  registerDatabaseDeadline(adapter.getInstance(), requestDeadlineMs(config.database));
  registerQueryCredentialsCheck(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // Nest's own lines, start-up included, as JSON through the root logger, as they happen.
    logger: new NestLogger(log),
    abortOnError: false,
    // Fastify's own JSON parser only: Nest's would also accept form-encoded bodies, which must answer 415.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => void reply.header(REQUEST_ID_HEADER, request.id));
  // Only when something serves the metrics: otherwise nothing would read the timings.
  if (config.metricsEndpoint.port !== undefined) registerRequestMetrics(fastify, app.get(OpsMetrics));
  // A client that does not read its answer: the same bound as one that does not send its request.
  boundStalledAnswers(fastify, config.http.requestTimeoutMs);
  await registerHttpSecurity(app, config.security.corsOrigins);
  // After CORS (a preflight carries no key), before anything reads the body.
  registerAuthentication(fastify, app.get(ApiKeysService), config, accessLookup(app), app.get(CLOCK));
  configureValidation(fastify);
  applyRouteLimits(fastify, config.metrics.batchBodyLimitBytes);
  // JSON only: Fastify would otherwise parse text/plain bodies into strings; now they answer 415.
  fastify.removeContentTypeParser('text/plain');
  // UTF-8 JSON, decompressed if need be, with clear refusals (src/http/json-body.ts, body-decoding.ts).
  registerJsonParser(fastify);
  registerBodyDecoding(fastify);
  await registerOpenApi(app, packageVersion());
  return app;
}
