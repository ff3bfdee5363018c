// What a row written at an older schema version reads back as at head, derived from the entities: every
// column it left out holds its default (null when it has none and may be null). A data-survival fixture then
// states only the values it wrote, and a migration that adds a column breaks no fixture unless it gives
// existing rows something other than what the entities say.
import { expect } from '@jest/globals';

/** The part of MikroORM's EntityProperty read here, typed so that the kit needs no MikroORM import. */
export interface PropertyShape {
  name: string;
  kind?: string;
  owner?: boolean;
  object?: boolean;
  persist?: boolean;
  primary?: boolean;
  nullable?: boolean;
  fieldNames?: string[];
  columnTypes?: string[];
  defaultRaw?: string;
}

/** The part of MikroORM's EntityMetadata read here (`[...orm.getMetadata().getAll().values()]`). */
export interface EntityShape {
  tableName?: string;
  embeddable?: boolean;
  virtual?: boolean;
  props: PropertyShape[];
}

export interface ColumnAtHead {
  name: string;
  type: string;
  nullable: boolean;
  /** The default as SQL, or null when the column has none. */
  defaultSql: string | null;
}

export interface TableAtHead {
  /** The primary key's columns: the order rows are read back in. */
  key: string[];
  columns: ColumnAtHead[];
}

export type Row = Record<string, unknown>;

/** Props that are columns of their entity's own table (not the inverse side of a relation, not virtual). */
function ownsColumns(prop: PropertyShape): boolean {
  if (prop.persist === false || !prop.fieldNames?.length) return false;
  if (prop.kind === undefined || prop.kind === 'scalar' || prop.kind === 'm:1') return true;
  return (prop.kind === '1:1' && prop.owner === true) || (prop.kind === 'embedded' && prop.object === true);
}

/** Each entity table's columns and key, from the entities' metadata. */
export function tablesAtHead(entities: Iterable<EntityShape>): Record<string, TableAtHead> {
  const tables: Record<string, TableAtHead> = {};
  for (const meta of entities) {
    if (!meta.tableName || meta.embeddable || meta.virtual) continue;
    const props = meta.props.filter(ownsColumns);
    const columns = props.flatMap((prop) =>
      (prop.fieldNames as string[]).map((name, i) => ({
        name,
        type: prop.columnTypes?.[i] ?? 'text',
        nullable: prop.nullable === true,
        // A default belongs to a single-column property; a composite relation has none.
        defaultSql: prop.fieldNames?.length === 1 ? (prop.defaultRaw ?? null) : null,
      })),
    );
    tables[meta.tableName] = { key: props.filter((p) => p.primary).flatMap((p) => p.fieldNames as string[]), columns };
  }
  return tables;
}

/** A default that calls a function (now(), gen_random_uuid()) gives each row its own value: only its type is known. */
export function isVolatile(defaultSql: string): boolean {
  return /[a-z_][a-z0-9_]*\s*\(/i.test(defaultSql.replace(/'(?:[^']|'')*'/g, "''"));
}

/**
 * What `select *` returns for `row` at head: its own values, and for each column it left out the default,
 * evaluated by PostgreSQL (`evaluate` runs `select <sql>::<type>`, so that jsonb, arrays and bigint read
 * back as pg reads them), any value of its type for a volatile one, null for a nullable column without one.
 * Throws for a NOT NULL column without a default: its value in old rows is whatever a migration backfilled,
 * which only the fixture can state.
 */
export async function rowAtHead(
  table: string,
  head: TableAtHead,
  row: Row,
  evaluate: (sql: string, type: string) => Promise<unknown>,
): Promise<Row> {
  const expected: Row = {};
  for (const column of head.columns) {
    if (column.name in row) expected[column.name] = row[column.name];
    else if (column.defaultSql !== null) expected[column.name] = await defaultValue(column.defaultSql, column.type, evaluate);
    else if (column.nullable) expected[column.name] = null;
    else throw new Error(`${table}.${column.name} is NOT NULL without a default: the fixture's rows must state what a migration gave them`);
  }
  const unknown = Object.keys(row).filter((name) => !head.columns.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(', ')} in the entities`);
  return expected;
}

async function defaultValue(sql: string, type: string, evaluate: (sql: string, type: string) => Promise<unknown>): Promise<unknown> {
  const value = await evaluate(sql, type);
  if (!isVolatile(sql)) return value;
  return value === null || value === undefined ? value : expect.any((value as object).constructor);
}
