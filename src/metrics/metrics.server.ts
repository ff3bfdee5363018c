import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { OpsMetrics } from './ops-metrics.service.js';

/** A scrape is one small request: anything slower is not Prometheus. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * `/metrics` on a listener of its own (METRICS_HOST:METRICS_PORT, loopback by default), never on the API's
 * port: the exposition names routes and volumes and needs no API key, so it is reachable only where the
 * operator binds it. Plain node:http, outside Fastify: scrapes are neither timed nor logged as API requests,
 * and no API hook (authentication, rate limits, the database deadline) applies to them.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpsMetrics) private readonly metrics: OpsMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metricsEndpoint;
    if (port === undefined) return;
    collectDefaultMetrics({ register: this.metrics.registry });
    const server = createServer((request, response) => void this.answer(request, response));
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`the metrics listener could not listen on ${host}:${port} (METRICS_HOST, METRICS_PORT): ${error.code ?? error.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = this.address() as { host: string; port: number };
    this.logger.log(`metrics on http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}/metrics`);
  }

  /** Where it listens (METRICS_PORT=0 picks a free port); undefined when it does not. */
  address(): { host: string; port: number } | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    try {
      const body = await this.metrics.scrape();
      response.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`metrics: the scrape failed: ${error instanceof Error ? error.message : String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('the scrape failed: see the service log\n');
    }
  }
}
