import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type Compilable,
  type Expression,
  type InferResult,
  type RawBuilder,
} from 'kysely';
import { DomainError } from '../common/domain-error.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** Builds and compiles queries only; never connected. `prepared` and `preparedShapes` compile with it. */
export const queries: Db = compileOnly<Database>();

/** A Kysely that builds and compiles queries over the tables `DB` types, and never connects. */
export function compileOnly<DB>(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/** A parameter of a prepared statement: which field of the call's parameters goes in its place. */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * A typed statement compiled once: `build` writes it with Kysely against the tables' types, with the
 * fields of `p` where the values go (named parameters); it is compiled at module load, and each call only
 * binds the values in the order the compiler placed them, so a hot path pays no building or compiling per
 * request. The statement's shape must not depend on the values (no branching on `p` in `build`). Rows come
 * back as Kysely infers them from the query; errors as MikroORM's typed exceptions, as every other query.
 */
export function prepared<P extends object, Q extends Compilable<unknown>>(build: (db: Db, p: P) => Q) {
  return preparedOn(queries, build);
}

/** `prepared` over tables other than the service's own (the migrator's bookkeeping, typed in its module). */
export function preparedOn<DB, P extends object, Q extends Compilable<unknown>>(db: Kysely<DB>, build: (db: Kysely<DB>, p: P) => Q) {
  const slots = new Proxy({}, { get: (_target, name) => new Slot(String(name)) }) as P;
  const { sql, parameters } = build(db, slots).compile();
  const binding = parameters.map((value) => (value instanceof Slot ? value.name : { constant: value }));
  const statement = {
    /** The SQL text sent to PostgreSQL (the bench's baseline sends the same). */
    sql,
    /** The values for `p`, in placeholder order. */
    values: (p: P): unknown[] => binding.map((b) => (typeof b === 'string' ? (p as Record<string, unknown>)[b] : b.constant)),
    run: (em: EntityManager, p: P): Promise<InferResult<Q>> => runCompiled(em, CompiledQuery.raw(sql, statement.values(p))) as Promise<InferResult<Q>>,
    /** The statement with `p`'s values, as a query `runQuery` runs (and a test compiles to read its SQL). */
    bind: (p: P): Compilable<RowOf<Q>> => ({ compile: () => CompiledQuery.raw(sql, statement.values(p)) as CompiledQuery<RowOf<Q>> }),
  };
  return statement;
}

type RowOf<Q> = Q extends Compilable<infer R> ? R : never;

/**
 * A query whose shape depends on a few choices (which optional filters a listing has, its sort order):
 * one prepared statement per shape, compiled on first use and kept, so that a request only binds values
 * however its filters combine. `shape` holds flags and enums only, never a value from the request; the
 * values go through `p`, as for `prepared`.
 */
export function preparedShapes<S, P extends object, Q extends Compilable<unknown>>(build: (db: Db, p: P, shape: S) => Q) {
  const statements = new Map<string, ReturnType<typeof prepared<P, Q>>>();
  return (shape: S): ReturnType<typeof prepared<P, Q>> => {
    const key = JSON.stringify(shape);
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = prepared((db, p: P) => build(db, p, shape))));
    return statement;
  };
}

/** Compiles and runs a query built per call (`queries.selectFrom(…)`); rows typed as Kysely infers them. */
export function runQuery<Q extends Compilable<unknown>>(em: EntityManager, query: Q): Promise<InferResult<Q>> {
  return runCompiled(em, query.compile()) as Promise<InferResult<Q>>;
}

/** A statement with no parameters and no typed row, as written (DDL): a `?` in it is SQL, not a placeholder. */
export async function runStatement(em: EntityManager, statement: string): Promise<void> {
  await runCompiled(em, CompiledQuery.raw(statement, []));
}

/**
 * Runs a compiled statement on `em`'s transaction when it has one; driver errors become MikroORM's
 * exceptions, ours (the request's database deadline) stay as they are.
 */
export async function runCompiled<R>(em: EntityManager, query: CompiledQuery<R>): Promise<R[]> {
  try {
    return (await em.getKysely().executeQuery(query)).rows;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw em.getPlatform().getExceptionConverter().convertException(error as Error);
  }
}

/** A value bound as JSON text, cast to jsonb where PostgreSQL cannot infer the type from a column. */
export const jsonb = <T = unknown>(text: string | null) => sql<T>`${text}::jsonb`;
/** A value bound as RFC 3339 text, cast to timestamptz. */
export const timestamptz = <T = Date>(text: string | null) => sql<T>`${text}::timestamptz`;
/** A value bound as text, cast to uuid. */
export const uuid = <T = string>(text: string | null) => sql<T>`${text}::uuid`;

/** A timestamptz as RFC 3339 in UTC with microseconds, exactly as stored (the API's timestamps); null stays null. */
export function isoText<N extends null = never>(column: Expression<unknown>) {
  return sql<string | N>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A statement Kysely has no builder for (`lock table …`), written with `sql`, as `prepared` takes it. */
export function rawStatement<R>(query: RawBuilder<R>): Compilable<R> {
  return { compile: () => query.compile(queries) };
}
