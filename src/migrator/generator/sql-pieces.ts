import { Cursor, hasWords } from '../lint/migration-lint.cursor.js';
import { splitStatements, splitTopLevel, type Token } from '../lint/migration-lint.sql.js';

// The parts of a generated statement that the safe-form rewrite reads, each with its text exactly as
// MikroORM wrote it (quotes and all), so that the rewritten SQL names the same objects the same way.
// Built on the migration lint's tokenizer: the generator and the lint read SQL alike.

/** A name as written (`"pipeline_executions"`) and as PostgreSQL folds it (`pipeline_executions`). */
export interface Name {
  text: string;
  key: string;
}

export interface Statement {
  sql: string;
  tokens: Token[];
}

/** The statements of one string, each without its `;`: MikroORM writes one per string, but a string may hold several. */
export function statementsOf(sql: string): Statement[] {
  return splitStatements(sql).map(({ text, tokens }) => ({ sql: text, tokens: shift(tokens, tokens[0].start) }));
}

function shift(tokens: Token[], by: number): Token[] {
  return tokens.map((t) => ({ ...t, start: t.start - by, end: t.end - by }));
}

/** The text of `tokens`, which come from `sql`. */
export function textOf(sql: string, tokens: Token[]): string {
  return tokens.length === 0 ? '' : sql.slice(tokens[0].start, tokens[tokens.length - 1].end);
}

/** Reads a possibly schema-qualified name at the cursor, keeping its text. */
export function readName(sql: string, c: Cursor): Name | undefined {
  const before = c.rest();
  const name = c.name();
  if (!name) return undefined;
  return { text: textOf(sql, before.slice(0, before.length - c.rest().length)), key: name.key };
}

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table …` */
export interface CreateIndex {
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
  index: Name;
  table: Name;
  /** Everything after the index's name: `on "t" ("c")`. */
  tail: string;
}

export function parseCreateIndex({ sql, tokens }: Statement): CreateIndex | undefined {
  const c = new Cursor(tokens);
  if (!c.accept('create')) return undefined;
  const unique = c.accept('unique');
  if (!c.accept('index')) return undefined;
  const concurrently = c.accept('concurrently');
  const ifNotExists = c.accept('if', 'not', 'exists');
  if (c.isWord('on')) return undefined; // an unnamed index: nothing could drop it by name
  const index = readName(sql, c);
  const tail = sql.slice(c.rest()[0]?.start ?? sql.length);
  if (!index || !c.accept('on')) return undefined;
  c.accept('only');
  const table = readName(sql, c);
  return table && { unique, concurrently, ifNotExists, index, table, tail };
}

/** `DROP INDEX [CONCURRENTLY] [IF EXISTS] name`: one index, no CASCADE (which CONCURRENTLY refuses). */
export function parseDropIndex({ sql, tokens }: Statement): Name | undefined {
  const c = new Cursor(tokens);
  if (!c.accept('drop', 'index')) return undefined;
  c.accept('concurrently');
  c.accept('if', 'exists');
  const index = readName(sql, c);
  return index && c.rest().length === 0 ? index : undefined;
}

/** `CREATE TABLE … name`: the tables a migration creates, on which nothing needs the safe form. */
export function createdTable({ sql, tokens }: Statement): Name | undefined {
  const c = new Cursor(tokens);
  if (!c.accept('create')) return undefined;
  while (['global', 'local', 'temp', 'temporary', 'unlogged'].some((w) => c.accept(w)));
  if (!c.accept('table')) return undefined;
  c.accept('if', 'not', 'exists');
  return readName(sql, c);
}

/** `ALTER TABLE [IF EXISTS] [ONLY] name action, action …`, each action as its tokens. */
export interface AlterTable {
  /** `alter table "t"` as written: the head of every statement rebuilt from these actions. */
  head: string;
  table: Name;
  actions: Token[][];
}

export function parseAlterTable({ sql, tokens }: Statement): AlterTable | undefined {
  const c = new Cursor(tokens);
  if (!c.accept('alter', 'table')) return undefined;
  c.accept('if', 'exists');
  c.accept('only');
  const table = readName(sql, c);
  const actions = splitTopLevel(c.rest(), ',');
  if (!table || actions.length === 0) return undefined;
  return { head: sql.slice(0, actions[0][0].start).trimEnd(), table, actions };
}

export function isWithoutNotValid(tokens: Token[]): boolean {
  return !hasWords(tokens, 'not', 'valid');
}

/** The index of the `)` that closes the `(` the tokens start with; -1 when they do not start with one. */
export function closingParen(tokens: Token[]): number {
  if (tokens[0]?.value !== '(' || tokens[0].type !== 'op') return -1;
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i].type !== 'op') continue;
    if (tokens[i].value === '(') depth += 1;
    if (tokens[i].value === ')' && --depth === 0) return i;
  }
  return -1;
}
