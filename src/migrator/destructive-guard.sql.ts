import { sql } from 'kysely';
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE } from '../database/orm-options.js';
import { compileOnly } from '../database/typed-sql.js';

/**
 * The tables of the current schema that hold at least one row, the migrator's bookkeeping aside: what a
 * command that drops or reverts everything would destroy. One round trip, one `exists` per table (never a
 * count), through query_to_xml because the table names are only known in the catalog. (The catalog: sql text.)
 */
export const TABLES_WITH_ROWS = sql<{ name: string }>`
  select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname = current_schema()
    and c.relname not in (${sql.lit(MIGRATIONS_TABLE)}, ${sql.lit(CHECKSUMS_TABLE)})
    and (xpath('/row/x/text()', query_to_xml(format('select exists (select from %I.%I) as x', n.nspname, c.relname), false, true, '')))[1]::text = 'true'
  order by 1`.compile(compileOnly());
