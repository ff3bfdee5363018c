// The benchmark harness: every scenario, or those named, against the built app and a baseline measured
// in the same run on the same database.
//   npm run bench                      every scenario (builds once first): about 10 minutes, or 17 when
//                                      the large tables are generated (once per schema version)
//   npm run bench -- list create       the scenarios named
//   npm run bench -- --smoke           a second or two of load each, small data: proves they work (CI)
// Results: a table per scenario and a summary on stdout, bench/results/NAME.json (NAME.smoke.json in
// smoke mode) and bench/results/run.json (git-ignored). See docs/benchmarks.md.
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startBaseline } from './baseline.js';
import { BenchDatabases } from './databases.js';
import { scenarios as executions } from './executions.js';
import { load } from './load.js';
import { scenarios as metrics } from './metrics.js';
import { scenarios as migrations } from './migrations.js';
import { scenarios as monitors } from './monitors.js';
import { scenarios as pipelines } from './pipelines.js';
import { scenarios as processes } from './process.js';
import { printTable } from './report.js';
import type { BenchContext, Row, Scenario } from './scenario.js';
import { APP_DIST, round, snapshotBuild, startApp, writeResults } from './support.js';

/**
 * OpenLineage ingestion (issue 7) joins from bench/lineage.ts when that file exists: it exports
 * `scenarios: Scenario[]` (one named `lineage`) like the modules above. It is imported here, not
 * statically, so that a half-finished version of it fails its own scenario and not the whole run;
 * without the file, a placeholder row says the scenario is pending.
 */
async function lineage(): Promise<Scenario[]> {
  const description = 'OpenLineage START + COMPLETE pairs with facets (issue 7)';
  const placeholder = (note: string, fail: boolean): Scenario[] => {
    const row: Row = { measure: 'OpenLineage START + COMPLETE with facets', unit: 'events/s', app: { p50: Number.NaN, p99: Number.NaN, errors: 0 }, note };
    return [{ name: 'lineage', description, run: async () => (fail ? Promise.reject(new Error(note)) : { rows: [row] }) }];
  };
  const file = join(import.meta.dirname, 'lineage.ts');
  if (!existsSync(file)) return placeholder('pending: bench/lineage.ts (issue 7) is not there yet', false);
  try {
    const module = (await import(pathToFileURL(file).href)) as { scenarios?: Scenario[] };
    if (Array.isArray(module.scenarios)) return module.scenarios;
    return placeholder('bench/lineage.ts must export `scenarios: Scenario[]` (bench/scenario.ts)', true);
  } catch (error) {
    return placeholder(`bench/lineage.ts did not load: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const [first, rest] = [processes.filter((s) => s.name === 'cold-start'), processes.filter((s) => s.name !== 'cold-start')];
  // Cold start first (least disturbed by earlier load); lineage after create, whose rate it is compared with.
  const all = [...first, ...executions, ...pipelines, ...metrics, ...(await lineage()), ...rest, ...migrations, ...monitors];
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; scenarios: ${all.map((s) => s.name).join(', ')}`);
  const chosen = names.length > 0 ? all.filter((s) => names.includes(s.name)) : all;

  snapshotBuild();
  const databases = await BenchDatabases.open(smoke);
  const started = performance.now();
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, database: databases.server, loadAverageAtStart: loadavg().map((l) => round(l, 2)) };
  console.log(`benchmarks (${smoke ? 'smoke: figures not meaningful' : 'full run'}): ${machine.cpus} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}; load average ${machine.loadAverageAtStart.join(' ')}`);
  const stale = await databases.dropStale();
  if (stale.length > 0) console.log(`dropped benchmark databases of other schema versions: ${stale.join(', ')}`);

  const ctx: BenchContext = {
    smoke,
    phaseSeconds: smoke ? 1 : 6,
    server: databases.server,
    databases,
    freshDatabase: (name) => databases.fresh(name),
    dataDatabase: (kind) => databases.generated(kind),
    startApp: async (url, env) => startApp(url, await databases.addKey(url), env),
    startBaseline,
    load,
    earlier: new Map(),
    appModule: <T>(path: string) => import(pathToFileURL(join(APP_DIST, path)).href) as Promise<T>,
  };
  const failed: string[] = [];
  const summary: { scenario: string; row: Row }[] = [];
  try {
    for (const scenario of chosen) {
      console.log(`\n## ${scenario.name}: ${scenario.description}`);
      const t = performance.now();
      try {
        const result = await scenario.run(ctx);
        ctx.earlier.set(scenario.name, result);
        const seconds = round((performance.now() - t) / 1000);
        printTable(result.rows.map((row) => ({ scenario: scenario.name, row })));
        console.log(`(${seconds} s)`);
        summary.push(...result.rows.map((row) => ({ scenario: scenario.name, row })));
        writeResults(smoke ? `${scenario.name}.smoke` : scenario.name, { date: new Date().toISOString(), smoke, machine, seconds, ...result });
      } catch (error) {
        failed.push(scenario.name);
        console.error(`scenario ${scenario.name} failed:`, error);
      }
    }
  } finally {
    await databases.close();
  }
  const seconds = round((performance.now() - started) / 1000);
  const end = { loadAverageAtEnd: loadavg().map((l) => round(l, 2)), seconds };
  console.log(`\n## summary (${seconds} s; load average at the end ${end.loadAverageAtEnd.join(' ')})`);
  printTable(summary);
  writeResults(smoke ? 'run.smoke' : 'run', { date: new Date().toISOString(), smoke, machine, ...end, failed, rows: summary });
  if (failed.length > 0) throw new Error(`scenarios failed: ${failed.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
