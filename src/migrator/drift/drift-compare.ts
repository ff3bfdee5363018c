import type { SchemaCatalog } from './schema-catalog.js';

export type DriftObject = 'table' | 'column' | 'constraint' | 'index' | 'trigger' | 'function' | 'type' | 'sequence';

export interface DriftDifference {
  object: DriftObject;
  /** table.column, table.constraint, index name, trigger on table, function(arguments), …: what differs. */
  name: string;
  /** As the applied migrations build it; null when they do not build it. */
  expected: string | null;
  /** As the live database has it; null when it is missing there. */
  live: string | null;
}

export interface DriftReport {
  /** The last applied migration the scratch database was built up to (null: none applied). */
  appliedThrough: string | null;
  differences: DriftDifference[];
}

/** How each kind of catalog item names its object, so that the two sides pair up by name. */
const KEYS: Record<DriftObject, (item: string) => string> = {
  table: (item) => item,
  column: (item) => item.split(' ', 1)[0],
  constraint: (item) => item.slice(0, item.indexOf(': ')),
  index: (item) => item.slice(0, item.indexOf(': ')),
  // Trigger names are unique per table only: "name on schema.table".
  trigger: (item) => {
    const match = /^CREATE (?:CONSTRAINT )?TRIGGER (\S+) .*? ON (\S+)/.exec(item);
    return match ? `${match[1]} on ${match[2]}` : item;
  },
  function: (item) => item.slice(0, item.lastIndexOf(': ')),
  type: (item) => item.slice(0, item.indexOf(': ')),
  sequence: (item) => item,
};

/** Every difference between two lists of items of one kind, paired by name. */
function diffItems(object: DriftObject, prefix: string, expected: string[], live: string[]): DriftDifference[] {
  const want = new Map(expected.map((i) => [KEYS[object](i), i]));
  const have = new Map(live.map((i) => [KEYS[object](i), i]));
  const out: DriftDifference[] = [];
  for (const key of new Set([...want.keys(), ...have.keys()])) {
    const [e, l] = [want.get(key) ?? null, have.get(key) ?? null];
    if (e !== l) out.push({ object, name: prefix + key, expected: e, live: l });
  }
  return out;
}

/**
 * What differs between the schema the migrations build and the live one, object by object. A table that
 * exists on one side only is one difference, not one more per column, constraint and index of it.
 */
export function compareCatalogs(expected: SchemaCatalog, live: SchemaCatalog): DriftDifference[] {
  const tables = diffItems('table', '', expected.tables, live.tables);
  const oneSided = new Set(tables.map((d) => d.name));
  const perTable = (object: DriftObject, pick: (c: SchemaCatalog) => Record<string, string[]>) =>
    [...new Set([...Object.keys(pick(expected)), ...Object.keys(pick(live))])]
      .filter((table) => !oneSided.has(table))
      .sort()
      .flatMap((table) => diffItems(object, object === 'index' ? '' : `${table}.`, pick(expected)[table] ?? [], pick(live)[table] ?? []));
  const onTable = /ON (?:ONLY )?(?:public\.)?("?[^\s"]+"?)/;
  const triggers = diffItems('trigger', '', expected.triggers, live.triggers).filter((d) => !oneSided.has(onTable.exec(d.expected ?? d.live ?? '')?.[1] ?? ''));
  return [
    ...tables,
    ...perTable('column', (c) => c.columns),
    ...perTable('constraint', (c) => c.constraints),
    ...perTable('index', (c) => c.indexes),
    ...triggers,
    ...diffItems('function', '', expected.functions, live.functions),
    ...diffItems('type', '', expected.types, live.types),
    ...diffItems('sequence', '', expected.sequences, live.sequences),
  ];
}

/** Lines for the command: one per difference, saying which side has what. */
export function formatDrift(report: DriftReport): string[] {
  const through = report.appliedThrough ?? '(no migration applied)';
  if (report.differences.length === 0) return [`no drift: the live schema is exactly what the applied migrations build (through ${through})`];
  return [
    `drift: ${report.differences.length} difference(s) between the schema the applied migrations build (through ${through}) and the live database`,
    ...report.differences.map((d) =>
      d.expected === null
        ? `  ${d.object} ${d.name}: in the live database, not built by any migration: ${d.live}`
        : d.live === null
          ? `  ${d.object} ${d.name}: built by the migrations, missing in the live database: ${d.expected}`
          : `  ${d.object} ${d.name}: differs\n      migrations: ${d.expected}\n      live:       ${d.live}`,
    ),
  ];
}
