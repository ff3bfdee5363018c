// Compares bench runs made before and after a change: for every measure with a baseline, the ratio to the
// baseline measured in the same run (the figure this noisy machine can compare), the median over each side's
// runs, and the change. Usage (paths of bench/results/run.json files kept from each run):
//   node --import tsx bench/compare.ts --before a/run.json [b/run.json …] --after c/run.json [d/run.json …]
import { readFileSync } from 'node:fs';
import { ratioOf, type Row } from './scenario.js';

interface Run {
  rows: { scenario: string; row: Row }[];
}

/** Where "better" points: up for rates (app/baseline of req/s), down for times (app/baseline of ms). */
const higherIsBetter = (row: Row) => row.app.rate !== undefined;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Ratios {
  values: number[];
  /** CPU time per unit of the app over the baseline's, where measured: far less moved by other load. */
  cpu: number[];
  /** The app's own figures: its rate (or p50 for times) and its CPU µs per unit. */
  app: number[];
  appCpu: number[];
  row: Row;
}

function ratios(files: string[]): Map<string, Ratios> {
  const out = new Map<string, Ratios>();
  for (const file of files) {
    for (const { scenario, row } of (JSON.parse(readFileSync(file, 'utf8')) as Run).rows) {
      const ratio = ratioOf(row);
      if (ratio === undefined) continue;
      const key = `${scenario}\t${row.measure}`;
      const entry = out.get(key) ?? { values: [], cpu: [], app: [], appCpu: [], row };
      entry.values.push(ratio);
      if (row.cpuUs?.app && row.cpuUs.baseline) entry.cpu.push(row.cpuUs.app / row.cpuUs.baseline);
      const own = row.app.rate ?? row.app.p50;
      if (own !== undefined) entry.app.push(own);
      if (row.cpuUs?.app) entry.appCpu.push(row.cpuUs.app);
      out.set(key, entry);
    }
  }
  return out;
}

const percent = (change: number) => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;

function sides(argv: string[]): { before: string[]; after: string[] } {
  const at = (flag: string) => argv.indexOf(flag);
  if (at('--before') !== 0 || at('--after') < 2 || at('--after') === argv.length - 1) {
    throw new Error('usage: bench/compare.ts --before RUN.json [RUN.json …] --after RUN.json [RUN.json …]');
  }
  return { before: argv.slice(1, at('--after')), after: argv.slice(at('--after') + 1) };
}

const { before, after } = sides(process.argv.slice(2));
const [was, now] = [ratios(before), ratios(after)];
console.log(`| scenario | measure | ratio to baseline before (${before.length} run${before.length > 1 ? 's' : ''}) | after (${after.length}) | change | CPU per unit, app / baseline: before | after | change |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [key, { values, cpu, row }] of was) {
  const later = now.get(key);
  if (!later) continue;
  const [b, a] = [median(values), median(later.values)];
  // Positive means better, whichever way the measure points; for CPU per unit, lower is better.
  const change = higherIsBetter(row) ? a / b - 1 : b / a - 1;
  const [cb, ca] = cpu.length && later.cpu.length ? [median(cpu), median(later.cpu)] : [undefined, undefined];
  const cpuCells = cb === undefined || ca === undefined ? '– | – | –' : `${cb.toFixed(2)} | ${ca.toFixed(2)} | ${percent(cb / ca - 1)}`;
  const [scenario, measure] = key.split('\t');
  console.log(`| ${scenario} | ${measure} | ${b.toFixed(2)} | ${a.toFixed(2)} | ${percent(change)} | ${cpuCells} |`);
}

// The app alone, for when the baseline itself changed between the two sides (its harness is part of each
// side's checkout): the app's own rate or p50 and its CPU per unit, medians over each side's runs.
console.log('\nThe app alone (medians; a change of the baseline between the sides does not move these):\n');
console.log('| scenario | measure | app before | after | change | app CPU µs per unit: before | after | change |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [key, { app, appCpu, row }] of was) {
  const later = now.get(key);
  if (!later || app.length === 0 || later.app.length === 0) continue;
  const [b, a] = [median(app), median(later.app)];
  const change = higherIsBetter(row) ? a / b - 1 : b / a - 1;
  const unit = higherIsBetter(row) ? row.unit : 'ms (p50)';
  const cpuCells = appCpu.length && later.appCpu.length ? `${median(appCpu).toFixed(0)} | ${median(later.appCpu).toFixed(0)} | ${percent(median(appCpu) / median(later.appCpu) - 1)}` : '– | – | –';
  const [scenario, measure] = key.split('\t');
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  console.log(`| ${scenario} | ${measure} | ${fmt(b)} ${unit} | ${fmt(a)} | ${percent(change)} | ${cpuCells} |`);
}
