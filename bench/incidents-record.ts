/**
 * How long IncidentsService.record takes for one tick's batch (docs/benchmarks.md#incidents-record):
 * `DATABASE_URL=<a migrated, disposable database> node --import tsx bench/incidents-record.ts [signals]`.
 * Each figure is one batch in one transaction, the way the monitors tick calls it.
 */
import { randomUUID } from 'node:crypto';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../src/config/app.config.js';
import { createApp } from '../src/http/app.factory.js';
import type { IncidentSignal } from '../src/incidents/incident-signal.js';
import { IncidentsService } from '../src/incidents/incidents.service.js';

const n = Number(process.argv[2] ?? 10_000);
const app = await createApp(loadConfig({ ...process.env, JOBS_ENABLED: 'false', MIGRATIONS_ON_BOOT: 'check', LOG_LEVEL: 'error' }));
await app.init();
const incidents = app.get(IncidentsService);
const em = app.get(MikroORM).em as EntityManager;
const run = randomUUID().slice(0, 8);
const signals = (firing: boolean, from = 0, count = n): IncidentSignal[] =>
  Array.from({ length: count }, (_, i) => ({
    monitorId: null,
    kind: 'freshness',
    severity: 'warning',
    pipelineName: `bench_${run}_${from + i}`,
    subject: `bench_${run}_${from + i}`,
    firing,
    evidence: { missed: '2026-12-04T06:15:00Z' },
  }));
let clock = Date.now();
async function time(label: string, batch: IncidentSignal[]): Promise<void> {
  clock += 60_000;
  const started = performance.now();
  const written = await em.fork().transactional((tx) => incidents.record(tx, batch, new Date(clock)));
  console.log(`${label}: ${batch.length} signals, ${written.length} outbox rows, ${(performance.now() - started).toFixed(0)} ms`);
}
// A running service is warm: one small batch of each kind first, not counted.
await em.fork().transactional((tx) => incidents.record(tx, [...signals(true, 5 * n, 500), ...signals(false, 5 * n, 500)], new Date(clock)));
await time('open (all new)', signals(true));
await time('re-fire (all open)', signals(true));
await time('healthy, all resolve', signals(false));
await time('re-fire within the window (all reopen)', signals(true));
await time('healthy, nothing open (steady state)', signals(false, n));
await time('mixed: 10% firing new, 90% healthy', [...signals(true, 2 * n, n / 10), ...signals(false, 3 * n, n - n / 10)]);
await app.close();
