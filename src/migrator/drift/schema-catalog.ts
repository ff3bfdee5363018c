import pg from 'pg';
import { CHECKSUMS_TABLE } from '../../database/orm-options.js';
import { clientConnection } from '../../database/pg-connection.js';

/**
 * Everything a migration can create in the given schemas (public by default), read from the catalog, in a
 * stable order. Names outside public are qualified (`pgboss.job`).
 */
export interface SchemaCatalog {
  tables: string[];
  columns: Record<string, string[]>;
  constraints: Record<string, string[]>;
  indexes: Record<string, string[]>;
  triggers: string[];
  functions: string[];
  types: string[];
  sequences: string[];
}

/** A name as migrations write it: bare in public, `schema.name` elsewhere. */
const qualified = (name: string, schema = 'n.nspname') =>
  `(case when ${schema} = 'public' then ${name}::text else ${schema} || '.' || ${name} end) collate "C"`;

function group(rows: { table: string; item: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { table, item } of rows) (out[table] ??= []).push(item);
  return out;
}

export async function readCatalog(url: string, ssl: false | { rejectUnauthorized: boolean } = false, schemas: readonly string[] = ['public']): Promise<SchemaCatalog> {
  const client = new pg.Client(clientConnection(url, ssl));
  await client.connect();
  try {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql, [schemas])).rows;
    const tables = await q<{ name: string }>(
      `select ${qualified('c.relname')} as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm') order by 1`,
    );
    const columns = await q<{ table: string; item: string }>(
      `select ${qualified('c.relname')} as table,
              a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || case when a.attnotnull then ' not null' else ' null' end
                || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') as item
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where n.nspname = any($1) and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
       order by c.relname, a.attnum`,
    );
    const constraints = await q<{ table: string; item: string }>(
      `select ${qualified('c.relname')} as table, k.conname || ': ' || pg_get_constraintdef(k.oid) as item
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       -- PostgreSQL 18 also lists NOT NULL as constraints (contype n); columns already say "not null".
       where n.nspname = any($1) and k.contype <> 'n' order by 1, 2`,
    );
    const indexes = await q<{ table: string; item: string }>(
      `select ${qualified('tablename', 'schemaname')} as table, indexname || ': ' || indexdef as item from pg_indexes
       where schemaname = any($1) order by 1, 2`,
    );
    const triggers = await q<{ item: string }>(
      `select pg_get_triggerdef(t.oid) as item from pg_trigger t join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1) and not t.tgisinternal order by 1`,
    );
    // "name(arguments): md5 of the definition": overloads stay apart, and a changed body is a difference.
    const functions = await q<{ item: string }>(
      `select ${qualified('p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || '): '
              || case when p.prokind in ('f', 'p') then md5(pg_get_functiondef(p.oid)) else p.prokind::text end as item
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) order by 1`,
    );
    // "name: enum(labels…)", "name: domain of <type> <constraints>", "name: composite": values count.
    const types = await q<{ item: string }>(
      `select ${qualified('t.typname')} || ': ' || case t.typtype
                when 'e' then 'enum(' || (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) || ')'
                when 'd' then 'domain of ' || format_type(t.typbasetype, t.typtypmod) || case when t.typnotnull then ' not null' else '' end
                  || coalesce(' default ' || t.typdefault, '')
                  || coalesce((select ' ' || string_agg(pg_get_constraintdef(k.oid), ' ' order by k.conname) from pg_constraint k where k.contypid = t.oid), '')
                else 'composite' end as item
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = any($1) and t.typtype in ('e', 'd', 'c')
         and not exists (select 1 from pg_class c where c.reltype = t.oid and c.relkind <> 'c') order by 1`,
    );
    const sequences = await q<{ item: string }>(
      `select ${qualified('c.relname')} as item from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind = 'S' order by 1`,
    );
    return {
      tables: tables.map((r) => r.name),
      columns: group(columns),
      constraints: group(constraints),
      indexes: group(indexes),
      triggers: triggers.map((r) => r.item),
      functions: functions.map((r) => r.item),
      types: types.map((r) => r.item),
      sequences: sequences.map((r) => r.item),
    };
  } finally {
    await client.end();
  }
}

/** The catalog without the migration bookkeeping (tracking and checksum tables): what migrations own. */
export function withoutTracking(catalog: SchemaCatalog, trackingTable: string): SchemaCatalog {
  const bookkeeping = new Set([trackingTable, CHECKSUMS_TABLE]);
  const drop = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([table]) => !bookkeeping.has(table)));
  return {
    ...catalog,
    tables: catalog.tables.filter((t) => !bookkeeping.has(t)),
    columns: drop(catalog.columns),
    constraints: drop(catalog.constraints),
    indexes: drop(catalog.indexes),
    sequences: catalog.sequences.filter((s) => !s.startsWith(`${trackingTable}_`)),
  };
}
