import { Gauge, type Metric, type Registry } from 'prom-client';
import { withTimeout } from '../common/with-timeout.js';

/** How long one scrape gauge may take to read (Prometheus's own scrape timeout is 10 s by default). */
export const SCRAPE_READ_TIMEOUT_MS = 3_000;

export interface Sample<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

/** A gauge read at scrape time: its samples replace the previous ones at each scrape. */
export interface ScrapeGauge<L extends string> {
  /** Without the prefix: `job_tick_age_seconds`. */
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** The samples now; none is a valid answer (nothing to report yet). */
  read(): Promise<Sample<L>[]>;
}

/**
 * A gauge exposing exactly the samples last read: prom-client's own Gauge reports 0 for a gauge without
 * labels that has no value, which would pass a failed read off as a real zero (no one waiting).
 */
class SampledGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  samples: Sample<string>[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  get() {
    const values = this.samples.map(({ labels, value }) => ({ labels: labels ?? {}, value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/**
 * The gauges read at scrape time, and whether each read worked. A slow or failing read (the database is
 * away) must not fail the scrape: the other metrics, the process's included, are what tells an operator
 * what is wrong. So its gauge goes without samples (never a stale value that looks current), and
 * `scrape_gauge_success{gauge}` is 0; the failure is logged once per change, not once per scrape.
 */
export class ScrapeGauges {
  private readonly entries: { spec: ScrapeGauge<string>; gauge: SampledGauge; failing: string | undefined }[] = [];
  private readonly success: Gauge<'gauge'>;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly prefix: string,
    private readonly logger: { log(message: string): void; warn(message: string): void },
  ) {
    this.success = new Gauge({
      name: `${prefix}scrape_gauge_success`,
      help: 'Whether the last scrape could read the gauge (1) or not (0: its samples are left out; the log says why).',
      labelNames: ['gauge'],
      registers: [registry],
    });
  }

  add<L extends string>(spec: ScrapeGauge<L>): void {
    const gauge = new SampledGauge(`${this.prefix}${spec.name}`, spec.help);
    this.registry.registerMetric(gauge as unknown as Metric);
    this.entries.push({ spec: spec as ScrapeGauge<string>, gauge, failing: undefined });
  }

  /** Reads every gauge, all at once; a scrape arriving meanwhile shares this read. */
  read(): Promise<void> {
    this.reading ??= Promise.all(this.entries.map((entry) => this.readOne(entry))).then(
      () => void (this.reading = undefined),
      () => void (this.reading = undefined),
    );
    return this.reading;
  }

  private async readOne(entry: (typeof this.entries)[number]): Promise<void> {
    const label = { gauge: entry.spec.name };
    try {
      entry.gauge.samples = await withTimeout(entry.spec.read(), SCRAPE_READ_TIMEOUT_MS, `reading ${entry.spec.name}`);
      this.success.set(label, 1);
      if (entry.failing !== undefined) this.logger.log(`metrics: ${entry.spec.name} can be read again`);
      entry.failing = undefined;
    } catch (error) {
      entry.gauge.samples = [];
      this.success.set(label, 0);
      const message = error instanceof Error ? error.message : String(error);
      if (entry.failing !== message) this.logger.warn(`metrics: could not read ${entry.spec.name}: ${message}`);
      entry.failing = message;
    }
  }
}
