// The results table, printed as Markdown so that it can go into docs/benchmarks.md as it is.
import type { Measure } from './load.js';
import { ratioOf, type Row } from './scenario.js';

const number = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The headline figure: the rate, or for latency-only rows the median. */
function headline(m: Measure | undefined, unit: Row['unit']): string {
  if (!m) return '–';
  if (unit === 'ms') return `${number(m.p50, 1)} ms`;
  return `${number(m.rate)} ${unit}`;
}

const latency = (m: Measure | undefined) => (m && !Number.isNaN(m.p50) ? `${number(m.p50, 2)} / ${number(m.p99, 2)}` : '–');

export function cells(scenario: string, row: Row): string[] {
  const ratio = ratioOf(row);
  const verdict = row.met === undefined ? 'reported' : row.met ? 'met' : '**missed**';
  return [
    scenario,
    row.measure,
    headline(row.app, row.unit),
    headline(row.baseline, row.unit),
    ratio === undefined ? '–' : number(ratio, 2),
    latency(row.app),
    latency(row.baseline),
    row.baseline ? `${row.app.errors} / ${row.baseline.errors}` : String(row.app.errors),
    row.cpuUs ? `${number(row.cpuUs.app)} / ${number(row.cpuUs.baseline)}` : '–',
    number(row.peakRssMiB),
    row.target ?? '–',
    verdict,
    row.note ?? '',
  ];
}

const HEADER = ['scenario', 'measure', 'app', 'baseline', 'ratio', 'app p50 / p99 ms', 'baseline p50 / p99 ms', 'errors app / base', 'CPU µs/unit app / base', 'peak RSS MiB', 'target', 'verdict', 'note'];

export function printTable(rows: { scenario: string; row: Row }[]): void {
  const lines = [HEADER, ...rows.map(({ scenario, row }) => cells(scenario, row))];
  const widths = HEADER.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const format = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(format(lines[0]));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const l of lines.slice(1)) console.log(format(l));
}
