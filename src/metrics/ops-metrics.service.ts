import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ScrapeGauges, type ScrapeGauge } from './scrape-gauges.js';

/** Metric names start with this (the process and Node.js defaults keep their standard names). */
export const PREFIX = 'pipeline_ledger_';

/**
 * Request durations from 1 ms to 30 s: the API answers most requests in milliseconds, and a request may
 * take up to DB_STATEMENT_TIMEOUT_MS (30 s) plus its margin before it is answered 503.
 */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type RequestLabel = 'method' | 'route' | 'status_code';

/**
 * The service's own Prometheus metrics (not the data quality metrics of /v1/metrics): one registry per
 * application, so two apps in one process (the e2e suites) never share counts. Features count what they
 * wrote, after it committed; the HTTP layer times requests (request-metrics.ts); gauges that read the
 * database are registered with `addScrapeGauge` and read at scrape time. Served by MetricsServer.
 */
@Injectable()
export class OpsMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly scrapeGauges = new ScrapeGauges(this.registry, PREFIX, this.logger);
  private readonly requests = new Histogram<RequestLabel>({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from a request\'s arrival to its answer, by method, route pattern (unmatched: no route) and status.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly executions = this.counter('executions_created_total', 'Runs recorded through POST /v1/executions (new runs; an idempotent repeat is not counted).');
  private readonly metricPoints = this.counter('metric_points_ingested_total', 'Data quality metric points written through POST /v1/metrics and /v1/metrics/batch (a replayed Idempotency-Key is not counted).');
  private readonly lineageEvents = new Counter<'effect'>({
    name: `${PREFIX}lineage_events_total`,
    help: 'OpenLineage events accepted, by effect: applied to a run, late (the run had ended), stored (no run), duplicate (sent before).',
    labelNames: ['effect'],
    registers: [this.registry],
  });

  executionCreated(): void {
    this.executions.inc();
  }

  metricPointsIngested(count: number): void {
    this.metricPoints.inc(count);
  }

  lineageEventAccepted(effect: string): void {
    this.lineageEvents.inc({ effect });
  }

  /** `route` is the route's pattern (`/v1/executions/:execution_id`), never the URL as sent. About 0.4 µs. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: String(status) }, seconds);
  }

  /** A gauge set by the code that owns it (a configured limit, a value read without I/O). */
  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge<L>({ name: `${PREFIX}${name}`, help, labelNames, registers: [this.registry] });
  }

  /**
   * A gauge whose samples `read` returns at each scrape (from the database, a pool, the clock), bounded in
   * time; a read that fails or is too slow leaves the gauge without samples and reports the failure in
   * pipeline_ledger_scrape_gauge_success. For features to register in onModuleInit.
   */
  addScrapeGauge<L extends string>(gauge: ScrapeGauge<L>): void {
    this.scrapeGauges.add(gauge);
  }

  /** The exposition: the scrape gauges are read first (one read at a time however many scrapes arrive). */
  async scrape(): Promise<string> {
    await this.scrapeGauges.read();
    return this.registry.metrics();
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name: `${PREFIX}${name}`, help, registers: [this.registry] });
  }
}
