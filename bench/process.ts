// The app as a process: cold start to readiness, and its memory across repeated load in one process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'autocannon';
import { heapAfterGc } from './inspector.js';
import { load, memoryOf, type LoadResult } from './load.js';
import { percentile, round } from './support.js';
import type { Measure } from './load.js';
import type { Row, Scenario } from './scenario.js';

const stats = (sorted: number[]): Measure => ({ p50: round(percentile(sorted, 0.5)), p99: round(sorted[sorted.length - 1] ?? Number.NaN), errors: 0 });

type Start = () => Promise<{ readyMs: number; cpuMs: number; stop(): Promise<void> }>;

const coldStart: Scenario = {
  name: 'cold-start',
  description: 'spawn `node dist/main.js` until /health/ready answers 200, nothing pending; baseline: the node:http + pg server until its /health answers',
  async run(ctx) {
    const url = await ctx.freshDatabase('coldstart');
    const rounds = ctx.smoke ? 1 : 10;
    // dist/main.js turns on Node's compile cache. The app's starts share one cache folder of this run (a
    // restart on the same machine or a warmed image); `first` gets an empty one each time (a new container
    // whose image holds no cache).
    const cacheDir = mkdtempSync(join(tmpdir(), 'pl-bench-compile-cache-'));
    const starts: Record<string, Start> = {
      check: () => ctx.startApp(url, { MIGRATIONS_ON_BOOT: 'check', NODE_COMPILE_CACHE: cacheDir }),
      first: () => ctx.startApp(url, { MIGRATIONS_ON_BOOT: 'check', NODE_COMPILE_CACHE: mkdtempSync(join(cacheDir, 'empty-')) }),
      up: () => ctx.startApp(url, { MIGRATIONS_ON_BOOT: 'up', NODE_COMPILE_CACHE: cacheDir }),
      baseline: () => ctx.startBaseline(url),
    };
    const wall: Record<string, number[]> = { check: [], first: [], up: [], baseline: [] };
    const cpu: Record<string, number[]> = { check: [], first: [], up: [], baseline: [] };
    const once = async (kind: string) => {
      const started = await starts[kind]();
      await started.stop();
      wall[kind].push(started.readyMs);
      cpu[kind].push(started.cpuMs);
    };
    // One start of each first, so that the page cache holds node_modules for all of them alike.
    if (!ctx.smoke) for (const kind of Object.keys(starts)) await once(kind);
    for (const t of [...Object.values(wall), ...Object.values(cpu)]) t.length = 0;
    try {
      for (let i = 0; i < rounds; i++) for (const kind of i % 2 ? ['baseline', 'first', 'up', 'check'] : ['check', 'up', 'first', 'baseline']) await once(kind);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    for (const t of [...Object.values(wall), ...Object.values(cpu)]) t.sort((a, b) => a - b);
    const [base, baseCpu] = [stats(wall.baseline), stats(cpu.baseline)];
    const rows: Row[] = [
      { measure: 'cold start to ready, MIGRATIONS_ON_BOOT=check (p99 column: slowest)', unit: 'ms', app: stats(wall.check), baseline: base, target: 'p50 < 1500 ms' },
      { measure: 'cold start to ready, check, empty compile cache', unit: 'ms', app: stats(wall.first), baseline: base, target: 'p50 < 1500 ms' },
      { measure: 'cold start to ready, MIGRATIONS_ON_BOOT=up, nothing pending', unit: 'ms', app: stats(wall.up), baseline: base },
      { measure: 'cold start: CPU time used until ready, check', unit: 'ms', app: stats(cpu.check), baseline: baseCpu, note: 'user + system, 10 ms ticks' },
      { measure: 'cold start: CPU time used until ready, check, empty compile cache', unit: 'ms', app: stats(cpu.first), baseline: baseCpu, note: 'user + system, 10 ms ticks' },
    ];
    // A start with the cache warm and one without (a new container): the target holds for both or not at all.
    rows[0].met = rows[0].app.p50 < 1500;
    rows[1].met = rows[1].app.p50 < 1500;
    return { rows, details: { rounds, wallMs: wall, cpuMs: cpu } };
  },
};

function createRequests(): Request[] {
  return Array.from({ length: 50 }, (_, i) => ({ method: 'POST', path: '/v1/executions', body: JSON.stringify({ pipeline_name: `mem_pipe_${i}`, row_counts: { input: i } }) }));
}

function batchRequests(): Request[] {
  const now = Date.now();
  const metrics = Array.from({ length: 1000 }, (_, i) => ({ pipeline_name: 'mem_pipe', metric_type: 'row_count', metric_value: i, recorded_at: new Date(now - i * 1000).toISOString(), metadata: { column: `c${i % 7}` } }));
  return [{ method: 'POST', path: '/v1/metrics/batch', body: JSON.stringify({ metrics }) }];
}

const memory: Scenario = {
  name: 'memory',
  description: 'one app process (with --inspect on loopback): a warm-up, then three consecutive runs of the create load, then the same of batch ingestion; RSS and the heap after a full GC after each',
  async run(ctx) {
    const url = await ctx.freshDatabase('memory');
    // Port 0: the inspector takes a free port itself and prints the address (support.ts picks it up).
    const app = await ctx.startApp(url, { NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    if (!app.inspectorUrl) throw new Error('the app did not report its inspector address');
    const inspector = app.inspectorUrl;
    const loads = [
      { label: 'create, 32 connections', requests: createRequests(), connections: 32 },
      { label: 'metrics batch of 1,000, 4 connections', requests: batchRequests(), connections: 4 },
    ];
    const rows: Row[] = [];
    try {
      const atStart = memoryOf(app.pid);
      for (const { label, requests, connections } of loads) {
        const [rss, heap] = [[] as number[], [] as number[]];
        let errors = 0;
        // A warm-up run first (not counted): the first load grows the heap to its working size, which is
        // not what "growth across runs" asks about.
        for (let run = 0; run < 4; run++) {
          const r: LoadResult = await load({ base: app.base, connections, seconds: ctx.phaseSeconds, headers: app.headers, requests: requests.map((q) => ({ ...q })) });
          await new Promise((resolve) => setTimeout(resolve, 1000)); // let the work in flight finish
          if (run === 0) continue;
          errors += r.errors;
          rss.push(memoryOf(app.pid)?.rss ?? Number.NaN);
          heap.push(round(await heapAfterGc(inspector)));
        }
        const growth = (series: number[]) => (series[2] - series[0]) / series[0];
        const percent = (g: number) => `${g >= 0 ? '+' : ''}${round(g * 100)} %`;
        rows.push({
          measure: `memory: after 3 runs of ${label}`,
          unit: 'MiB',
          app: { rate: rss[2], p50: Number.NaN, p99: Number.NaN, errors },
          peakRssMiB: memoryOf(app.pid)?.hwm,
          target: 'heap after GC, run 1 -> 3: growth <= 10 %',
          met: growth(heap) <= 0.1 && errors === 0,
          note: `RSS ${rss.join(' / ')} MiB (${percent(growth(rss))}); heap after GC ${heap.join(' / ')} MiB (${percent(growth(heap))})`,
        });
      }
      return { rows, details: { rssAtStartMiB: atStart?.rss } };
    } finally {
      await app.stop();
    }
  },
};

export const scenarios: Scenario[] = [coldStart, memory];
