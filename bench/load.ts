// Load generation (autocannon as a library), A/B/B/A interleaving, and memory sampling of a process.
import { readFileSync } from 'node:fs';
import autocannon, { type Request } from 'autocannon';
import { cpuTimeMs, percentile, round } from './support.js';

export interface LoadOptions {
  /** http://127.0.0.1:PORT */
  base: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** Cycled through in order by every connection; `setupRequest` may vary each one. */
  requests: Request[];
  /** What one 2xx response counts for: 1 request, 1,000 rows, 2 events. */
  unitsPerRequest?: number;
}

/** Rate and latencies of one measured phase. */
export interface Measure {
  rate?: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface LoadResult extends Measure {
  rate: number;
  seconds: number;
  requests: number;
  /** Client-side latencies of every response, ms, sorted. */
  latencies: number[];
  statusCodes: Record<string, number>;
  /** CPU time the server process used during the run, ms (when measured): unlike rates, little moved by other load. */
  serverCpuMs?: number;
}

/**
 * One run. Latencies come from autocannon's per-response event (sub-millisecond resolution), not from
 * its histogram, which keeps whole milliseconds. Errors: non-2xx answers, socket errors and timeouts.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: options.base,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    headers: options.headers,
    requests: options.requests,
  });
  const latencies: number[] = [];
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    rate: (ok * (options.unitsPerRequest ?? 1)) / result.duration,
    seconds: result.duration,
    requests: result.requests.total,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: result.non2xx + result.errors + result.timeouts,
    latencies,
    statusCodes,
  };
}

/** Several runs as one: rate over the summed time, percentiles over all latencies. */
export function combine(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const units = runs.reduce((s, r) => s + r.rate * r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    rate: units / seconds,
    seconds,
    requests: runs.reduce((s, r) => s + r.requests, 0),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    latencies,
    statusCodes,
    serverCpuMs: runs.every((r) => r.serverCpuMs !== undefined) ? runs.reduce((s, r) => s + (r.serverCpuMs ?? 0), 0) : undefined,
  };
}

/** Server CPU per 2xx response (per unit: row, event), µs. */
export const cpuPerUnit = (r: LoadResult) => (r.serverCpuMs === undefined ? undefined : round((1000 * r.serverCpuMs) / (r.rate * r.seconds), 0));

/** `run`, with the CPU time process `pid` used meanwhile. */
export async function withCpu<T extends LoadResult>(pid: number, run: () => Promise<T>): Promise<T> {
  const before = cpuTimeMs(pid);
  const result = await run();
  return { ...result, serverCpuMs: cpuTimeMs(pid) - before };
}

/**
 * A, B, B, A after one warm-up of each: on this shared machine neither side always gets the quieter
 * moment, and for writes neither side always works on the smaller table.
 */
export async function interleaved<T extends LoadResult>(a: () => Promise<T>, b: () => Promise<T>, warmUp: { a: () => Promise<unknown>; b: () => Promise<unknown> }) {
  await warmUp.a();
  await warmUp.b();
  const runs = { a: [] as T[], b: [] as T[] };
  for (const side of ['a', 'b', 'b', 'a'] as const) runs[side].push(await (side === 'a' ? a() : b()));
  return { a: combine(runs.a), b: combine(runs.b) };
}

/** Measure of a result, rounded for the table and the JSON. */
export const measure = (r: LoadResult): Measure & { rate: number } => ({ rate: Math.round(r.rate), p50: round(r.p50, 2), p99: round(r.p99, 2), errors: r.errors });

/** VmRSS and VmHWM (the kernel's peak) of a process, MiB; undefined once it is gone or off Linux. */
export function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: round(kib('VmRSS') / 1024), hwm: round(kib('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; the peak seen and the kernel's high-water mark. */
export function sampleMemory(pid: number, everyMs = 200) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const m = memoryOf(pid);
    if (m) samples.push(m.rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = memoryOf(pid);
      return { peakRssMiB: Math.max(...samples, last?.rss ?? 0), hwmMiB: last?.hwm ?? Number.NaN, samples: samples.length };
    },
  };
}

export interface Comparison {
  app: LoadResult;
  baseline: LoadResult;
  /** The app process's peak RSS (VmHWM) at the end of the comparison, MiB. */
  peakRssMiB: number;
}

/**
 * The same requests against the app and against the baseline server, A/B/B/A, each side warmed up
 * first. Each run gets its own copies of the request objects (autocannon caches built requests on them).
 */
export async function compareHttp(
  app: { base: string; pid: number; headers: Record<string, string> },
  baseline: { base: string; pid: number },
  requests: Request[],
  options: { connections: number; seconds: number; unitsPerRequest?: number },
): Promise<Comparison> {
  const run = (server: { base: string; pid: number }, seconds: number) => () =>
    withCpu(server.pid, () => load({ ...options, base: server.base, seconds, headers: app.headers, requests: requests.map((r) => ({ ...r })) }));
  const warm = Math.max(1, Math.round(options.seconds / 3));
  const memory = sampleMemory(app.pid);
  const result = await interleaved(run(app, options.seconds), run(baseline, options.seconds), { a: run(app, warm), b: run(baseline, warm) });
  return { app: result.a, baseline: result.b, peakRssMiB: memory.stop().hwmMiB };
}
