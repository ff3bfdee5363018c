import { sql, type ColumnType, type Generated } from 'kysely';
import { CHECKSUMS_TABLE, MIGRATIONS_TABLE } from '../database/orm-options.js';
import { compileOnly, isoText, preparedOn } from '../database/typed-sql.js';

/**
 * The migrator's bookkeeping, typed like the service's tables (src/database/schema.ts): MikroORM's tracking
 * table (one row per applied migration) and the checksum table beside it. Neither is an entity: the
 * migrator creates them (LEDGER_DDL) before anything else runs.
 */
interface LedgerTables {
  [MIGRATIONS_TABLE]: {
    id: Generated<number>;
    name: string;
    executed_at: ColumnType<Date, never, never>;
  };
  [CHECKSUMS_TABLE]: {
    name: string;
    checksum: string;
    duration_ms: number | null;
    recorded_at: ColumnType<Date, never, Date | string>;
    repaired_by: string | null;
    repaired_at: ColumnType<Date | null, never, Date | string | null>;
    /** The checksum recorded when the migration ran, kept by a repair that replaced `checksum`; else null. */
    checksum_as_applied: string | null;
    /** It ran after a migration that sorts after it (`migrate up --allow-out-of-order`). */
    out_of_order: boolean;
  };
}

const ledger = compileOnly<LedgerTables>();

/**
 * Creates what MikroORM's tracking table lacks (a unique name) and the checksum table; idempotent, and it
 * brings a checksum table an older version created up to date (the columns added since).
 */
export const LEDGER_DDL = [
  `create unique index if not exists "${MIGRATIONS_TABLE}_name_unique" on "${MIGRATIONS_TABLE}" (name)`,
  `create table if not exists ${CHECKSUMS_TABLE} (name text primary key, checksum text not null, duration_ms integer,
     recorded_at timestamptz not null default now(), repaired_by text, repaired_at timestamptz)`,
  `alter table ${CHECKSUMS_TABLE} add column if not exists checksum_as_applied text`,
  `alter table ${CHECKSUMS_TABLE} add column if not exists out_of_order boolean not null default false`,
];

/** Whether the two tables exist: reading creates nothing (a dry run changes nothing). */
export const LEDGER_EXISTS = preparedOn(ledger, (db) =>
  db.selectNoFrom([
    sql<boolean>`to_regclass(${sql.lit(MIGRATIONS_TABLE)}) is not null`.as('tracking'),
    sql<boolean>`to_regclass(${sql.lit(CHECKSUMS_TABLE)}) is not null`.as('checksums'),
  ]),
);

/**
 * Every applied migration, in the order applied, with what was recorded of it. The columns added since the
 * first version are read through the row's JSON: a checksum table an older version created lacks them
 * until the next locked run adds them (LEDGER_DDL), and reading creates nothing.
 */
export const APPLIED = preparedOn(ledger, (db) =>
  db
    .selectFrom(`${MIGRATIONS_TABLE} as t`)
    .leftJoin(`${CHECKSUMS_TABLE} as c`, 'c.name', 't.name')
    .select((eb) => [
      't.name',
      isoText(eb.ref('t.executed_at')).as('executed_at'),
      'c.checksum',
      'c.duration_ms',
      'c.repaired_by',
      sql<string | null>`to_jsonb(c) ->> 'checksum_as_applied'`.as('checksum_as_applied'),
      sql<boolean>`coalesce((to_jsonb(c) ->> 'out_of_order')::boolean, false)`.as('out_of_order'),
    ])
    .orderBy('t.id'),
);

/** The same before the checksum table exists (a database migrated by an older version or another tool). */
export const APPLIED_WITHOUT_CHECKSUMS = preparedOn(ledger, (db) =>
  db
    .selectFrom(`${MIGRATIONS_TABLE} as t`)
    .select((eb) => [
      't.name',
      isoText(eb.ref('t.executed_at')).as('executed_at'),
      sql<string | null>`null`.as('checksum'),
      sql<number | null>`null`.as('duration_ms'),
      sql<string | null>`null`.as('repaired_by'),
      sql<string | null>`null`.as('checksum_as_applied'),
      sql<boolean>`false`.as('out_of_order'),
    ])
    .orderBy('t.id'),
);

/** Applied migrations without a checksum (applied before checksums were kept), in the order applied. */
export const UNRECORDED = preparedOn(ledger, (db) =>
  db
    .selectFrom(`${MIGRATIONS_TABLE} as t`)
    .leftJoin(`${CHECKSUMS_TABLE} as c`, 'c.name', 't.name')
    .select('t.name')
    .where('c.name', 'is', null)
    .orderBy('t.id'),
);

export const MARK_APPLIED = preparedOn(ledger, (db, p: { name: string }) => db.insertInto(MIGRATIONS_TABLE).values({ name: p.name }));

export const UNMARK_APPLIED = preparedOn(ledger, (db, p: { name: string }) => db.deleteFrom(MIGRATIONS_TABLE).where('name', '=', p.name));

/**
 * Records the checksum of a migration just marked applied, and whether it ran out of order: a migration that
 * sorts after it was applied before it (the tracking table's id is the order applied). Replaces any row left
 * behind by a schema drop that kept this table (`migration:fresh`).
 */
export const RECORD_CHECKSUM = preparedOn(ledger, (db, p: { name: string; checksum: string; durationMs: number | null }) =>
  db
    .insertInto(CHECKSUMS_TABLE)
    .values({
      name: p.name,
      checksum: p.checksum,
      duration_ms: p.durationMs,
      out_of_order: sql<boolean>`exists (select from ${sql.table(MIGRATIONS_TABLE)} self join ${sql.table(MIGRATIONS_TABLE)} earlier
        on earlier.id < self.id and earlier.name > self.name where self.name = ${p.name})`,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        checksum: eb.ref('excluded.checksum'),
        duration_ms: eb.ref('excluded.duration_ms'),
        recorded_at: sql<Date>`now()`,
        repaired_by: null,
        repaired_at: null,
        checksum_as_applied: null,
        out_of_order: eb.ref('excluded.out_of_order'),
      })),
    ),
);

export const FORGET_CHECKSUM = preparedOn(ledger, (db, p: { name: string }) => db.deleteFrom(CHECKSUMS_TABLE).where('name', '=', p.name));

/**
 * A deliberate, harmless edit of an applied migration: its new checksum, who and when. The checksum it had
 * when it ran is kept (the first repair moves it aside; later ones keep it), so the file undone back to what
 * ran is recognised too.
 */
export const REPAIR_CHECKSUM = preparedOn(ledger, (db, p: { name: string; checksum: string; who: string }) =>
  db
    .updateTable(CHECKSUMS_TABLE)
    .set((eb) => ({
      checksum: p.checksum,
      checksum_as_applied: eb.fn.coalesce('checksum_as_applied', 'checksum'),
      repaired_by: p.who,
      repaired_at: sql<Date>`now()`,
    }))
    .where('name', '=', p.name),
);

/** Invalid indexes of the current schema: a failed CREATE INDEX CONCURRENTLY leaves one behind. (The catalog: sql text.) */
export const INVALID_INDEXES = sql<{ name: string }>`
  select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
  join pg_namespace n on n.oid = c.relnamespace where not i.indisvalid and n.nspname = current_schema()`.compile(ledger);
