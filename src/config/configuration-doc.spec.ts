import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './app.config.js';
import { ConfigError, type Env } from './env-parsers.js';
import { loadRolesConfig } from './roles.config.js';
import { loadClientConfig } from './client.config.js';

// docs/configuration.md against the loaders: the variables they read, their defaults, ranges and values.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
const SERVICE_HEADING = 'Service and `db:roles`';
const CLIENT_HEADING = 'The `run` wrapper (client side)';
const TESTS_HEADING = 'Tests, benchmarks and CI only';
/** Passed through to child processes by the test harness; not the project's variables. */
const SYSTEM = new Set(['PATH', 'HOME']);

type Loader = (env: Env) => unknown;
const ADMIN_URL = 'postgres://admin@db.internal:5432/ledger';
const LOADERS: Record<string, { load: Loader; base: Record<string, string> }> = {
  loadConfig: { load: loadConfig, base: {} },
  loadRolesConfig: { load: loadRolesConfig, base: { DATABASE_ADMIN_URL: ADMIN_URL } },
  loadClientConfig: { load: loadClientConfig, base: { PIPELINE_LEDGER_URL: 'https://ledger.internal:3000', PIPELINE_LEDGER_API_KEY: `pl_0123abcd_${'k'.repeat(43)}` } },
};

// Every branch a loader takes on a variable: unset, set to something valid, set to something no parser takes
// (DATABASE_ADMIN_URL ?? MIGRATIONS_DATABASE_URL reads the second only when the first is unset or invalid).
const ENVIRONMENTS: ((name: string) => string | undefined)[] = [
  () => undefined,
  (name) => (name.endsWith('_URL') ? ADMIN_URL : '1'),
  () => 'not a valid value',
];

/** Runs `load` on an environment that records every name asked for; returns the names and the problems. */
function run(load: Loader, value: (name: string) => string | undefined): { read: Set<string>; problems: string[] } {
  const read = new Set<string>();
  const env = new Proxy({} as Env, {
    get: (_target, key) => (typeof key === 'string' ? (read.add(key), value(key)) : undefined),
  });
  try {
    load(env);
    return { read, problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { read, problems: error.problems };
    throw error;
  }
}

const readBy = (load: Loader) => new Set(ENVIRONMENTS.flatMap((value) => [...run(load, value).read]));
const READ = Object.fromEntries(Object.entries(LOADERS).map(([name, { load }]) => [name, readBy(load)]));
const loadersOf = (variable: string) => Object.entries(LOADERS).filter(([name]) => READ[name].has(variable)).map(([, loader]) => loader);
const problemsWith = (variable: string, value: string) =>
  loadersOf(variable).flatMap(({ load, base }) => run(load, (name) => (name === variable ? value : base[name])).problems);
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

interface Row {
  names: string[];
  cells: string[];
}

/** The rows of the table under `## heading`, without its header. */
function table(heading: string): Row[] {
  const section = DOC.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`docs/configuration.md has no section "## ${heading}"`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()))
    .map((cells) => ({ names: [...cells[0].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]), cells }));
}

const SERVICE = table(SERVICE_HEADING);
const CLIENT = table(CLIENT_HEADING);
const TESTS = table(TESTS_HEADING);
const documented = (rows: Row[]) => new Set(rows.flatMap((r) => r.names));
const sorted = (names: Iterable<string>) => [...names].sort();
const minus = (a: Iterable<string>, b: Set<string>) => sorted([...a].filter((x) => !b.has(x)));
const refused = (variable: string, value: string) => problemsWith(variable, value).some((p) => p.startsWith(`${variable} must`));

// What a row states in a form the spec can check: a default of one literal (not words, not another
// variable's name), an integer range, a list of values. The rest of a row is prose, checked by review.
const CHECKED = [...SERVICE, ...CLIENT];
const LITERAL_DEFAULTS = CHECKED.flatMap(({ names, cells }) => {
  const literal = /^`([^`]+)`( \(.*\))?$/.exec(cells[1])?.[1];
  return literal === undefined || documented(SERVICE).has(literal) ? [] : [[names[0], literal] as const];
});
const RANGES = CHECKED.flatMap(({ names, cells }) => {
  const range = /^integer `(-?\d+)` to `(\d+)`$/.exec(cells[2]);
  return range ? [[names[0], Number(range[1]), Number(range[2])] as const] : [];
});
const VALUE_LISTS = CHECKED.flatMap(({ names, cells }) =>
  /^`[^`]+`(, `[^`]+`)+$/.test(cells[2]) ? [[names[0], [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(', ')] as const] : [],
);

describe('docs/configuration.md', () => {
  it('lists one variable per row of the service and wrapper tables', () => {
    expect(CHECKED.filter((r) => r.names.length !== 1 || r.cells[0] !== `\`${r.names[0]}\``).map((r) => r.cells[0])).toEqual([]);
  });

  it('documents in the wrapper\'s table exactly the variables the run wrapper reads, none the service reads', () => {
    expect(sorted(documented(CLIENT))).toEqual(sorted(READ.loadClientConfig));
    expect(sorted(READ.loadClientConfig).filter((name) => READ.loadConfig.has(name) || READ.loadRolesConfig.has(name))).toEqual([]);
  });

  it('documents every variable the loaders read, and nothing they do not read', () => {
    const read = new Set([...READ.loadConfig, ...READ.loadRolesConfig]);
    const doc = documented(SERVICE);
    expect({ undocumented: minus(read, doc), notRead: minus(doc, read) }).toEqual({ undocumented: [], notRead: [] });
  });

  it('says "`db:roles` only" of exactly the variables only db:roles reads', () => {
    const marked = SERVICE.filter((r) => r.cells[3].startsWith('`db:roles` only')).flatMap((r) => r.names);
    expect(sorted(marked)).toEqual(minus(READ.loadRolesConfig, READ.loadConfig));
  });

  it.each(LITERAL_DEFAULTS)('%s: unset is the same as set to its documented default %s', (variable, literal) => {
    for (const { load, base } of loadersOf(variable)) {
      expect(plain(load({ ...base, [variable]: literal }))).toEqual(plain(load(base)));
    }
  });

  it.each(RANGES)('%s accepts the integers from %i to %i, as documented, and refuses those around them', (variable, min, max) => {
    expect([min - 1, min, max, max + 1].map((n) => refused(variable, String(n)))).toEqual([true, false, false, true]);
  });

  it.each(VALUE_LISTS)('%s accepts exactly the values documented: %s', (variable, list) => {
    const values = list.split(', ');
    expect(values.filter((value) => refused(variable, value))).toEqual([]);
    const accepted = problemsWith(variable, 'no-such-value').map((p) => /must be one of (.*) \(got/.exec(p)?.[1]).find(Boolean);
    expect(accepted?.split(', ')).toEqual(values);
  });
});

/** The text of every source file below `dir`, skipping scratch folders (test/.tmp holds database clusters). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'node_modules' ? [] : sources(path);
    return entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('docs/configuration.md, tests, benchmarks and CI', () => {
  const code = [...sources(join(ROOT, 'test')), ...sources(join(ROOT, 'bench'))];
  const elsewhere = ['.ci/run', 'package.json'].map((f) => join(ROOT, f)).filter(existsSync).map((f) => readFileSync(f, 'utf8'));

  it('documents every variable the test and bench code reads from process.env', () => {
    const used = new Set(code.flatMap((text) => [...text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1])));
    const doc = new Set([...documented(SERVICE), ...documented(CLIENT), ...documented(TESTS), ...SYSTEM]);
    expect(minus(used, doc)).toEqual([]);
  });

  it('lists only variables that the test, bench or CI code names and the loaders do not read', () => {
    const texts = [...code, ...elsewhere];
    const named = sorted(documented(TESTS)).filter((name) => texts.some((text) => text.includes(name)));
    expect(named).toEqual(sorted(documented(TESTS)));
    expect(sorted(documented(TESTS)).filter((name) => READ.loadConfig.has(name) || READ.loadRolesConfig.has(name))).toEqual([]);
  });
});
