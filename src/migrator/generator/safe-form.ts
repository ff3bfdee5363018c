import { Cursor } from '../lint/migration-lint.cursor.js';
import type { Token } from '../lint/migration-lint.sql.js';
import {
  closingParen,
  createdTable,
  isWithoutNotValid,
  parseAlterTable,
  parseCreateIndex,
  parseDropIndex,
  readName,
  statementsOf,
  textOf,
  type AlterTable,
  type CreateIndex,
  type Name,
  type Statement,
} from './sql-pieces.js';

/** A migration's SQL as MikroORM's schema diff gives it: one statement per string, '' between groups. */
export interface MigrationSql {
  up: string[];
  down: string[];
}

/**
 * A generated migration in the form that holds no long lock on a table that already exists: the
 * `transactional` part (new columns, tables, foreign keys and checks added NOT VALID) runs in the run's
 * transaction; the `online` part runs after it, outside any transaction, one statement at a time: index
 * builds and drops CONCURRENTLY, constraint validations (which let reads and writes through), SET NOT NULL
 * proven by a validated check, and unique constraints attached to an index built concurrently.
 */
export interface SafeForm {
  transactional: MigrationSql;
  online: MigrationSql;
}

/** What up() moved to the online part, so that down() follows it there. */
interface Moved {
  /** Tables created by this up(): new and empty, so everything on them stays in the transaction. */
  created: Set<string>;
  indexes: Set<string>;
  uniques: Set<string>;
  /** `table.column` made NOT NULL through a validated check. */
  notNull: Set<string>;
}

// The online part builds every index before validating anything, and attaches unique constraints last:
// attaching is the one step that cannot run twice, so a run that fails before it can simply be repeated.
const BUILD = 0;
const VALIDATE = 1;
const ATTACH = 2;

interface OnlineStep {
  phase: number;
  sql: string;
}

interface Placement {
  transactional: string[];
  online: OnlineStep[];
}

const steps = (phase: number, ...sqls: string[]): OnlineStep[] => sqls.map((sql) => ({ phase, sql }));
const keep = (st: Statement): Placement => ({ transactional: [`${st.sql};`], online: [] });
const online = (phase: number, sql: string): Placement => ({ transactional: [], online: steps(phase, sql) });

export function toSafeForm(diff: MigrationSql): SafeForm {
  const moved: Moved = { created: new Set(), indexes: new Set(), uniques: new Set(), notNull: new Set() };
  const up = place(diff.up, (st) => placeUp(st, moved));
  const down = place(diff.down, (st) => placeDown(st, moved));
  const byPhase = (list: OnlineStep[]) => list.map((s, i) => ({ ...s, i })).sort((a, b) => a.phase - b.phase || a.i - b.i).map((s) => s.sql);
  return {
    transactional: { up: tidy(up.transactional), down: tidy(down.transactional) },
    online: { up: byPhase(up.online), down: down.online.map((s) => s.sql) },
  };
}

function place(sqls: string[], placeOne: (st: Statement) => Placement): Placement {
  const out: Placement = { transactional: [], online: [] };
  for (const sql of sqls) {
    if (sql.trim() === '') out.transactional.push('');
    for (const st of statementsOf(sql)) {
      const placed = placeOne(st);
      out.transactional.push(...placed.transactional);
      out.online.push(...placed.online);
    }
  }
  return out;
}

/** Blank strings only between statements, one at a time: the groups of the generated file. */
function tidy(sqls: string[]): string[] {
  const out = sqls.filter((sql, i) => sql !== '' || (i > 0 && sqls[i - 1] !== ''));
  while (out[0] === '') out.shift();
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function placeUp(st: Statement, moved: Moved): Placement {
  const table = createdTable(st);
  if (table) moved.created.add(table.key);
  const index = parseCreateIndex(st);
  if (index) {
    if (index.concurrently || moved.created.has(index.table.key)) return keep(st);
    moved.indexes.add(index.index.key);
    return online(BUILD, concurrentIndex(index));
  }
  const dropped = parseDropIndex(st);
  if (dropped && !st.tokens.some((t) => t.type === 'word' && t.value === 'concurrently')) {
    moved.indexes.add(dropped.key);
    return online(BUILD, `drop index concurrently if exists ${dropped.text};`);
  }
  const alter = parseAlterTable(st);
  return alter && !moved.created.has(alter.table.key) ? alterUp(st, alter, moved) : keep(st);
}

function concurrentIndex(index: CreateIndex): string {
  return `create ${index.unique ? 'unique ' : ''}index concurrently if not exists ${index.index.text} ${index.tail};`;
}

/** Each action of an ALTER TABLE on an existing table that has a safe form moves; the others stay together. */
function alterUp(st: Statement, alter: AlterTable, moved: Moved): Placement {
  const kept: string[] = [];
  const moving: OnlineStep[] = [];
  for (const action of alter.actions) {
    const safe = safeAction(st.sql, alter, action, moved);
    if (!safe) kept.push(textOf(st.sql, action));
    if (safe?.kept) kept.push(safe.kept);
    moving.push(...(safe?.online ?? []));
  }
  if (moving.length === 0) return keep(st);
  return { transactional: kept.length === 0 ? [] : [`${alter.head} ${kept.join(', ')};`], online: moving };
}

interface SafeAction {
  /** What stays in the transaction in place of the action, if anything. */
  kept?: string;
  online: OnlineStep[];
}

function safeAction(sql: string, alter: AlterTable, action: Token[], moved: Moved): SafeAction | undefined {
  const c = new Cursor(action);
  if (c.accept('add', 'constraint')) {
    const name = readName(sql, c);
    const definition = c.rest();
    const kind = definition[0]?.type === 'word' ? definition[0].value : '';
    if (!name || !isWithoutNotValid(definition)) return undefined;
    if (kind === 'foreign' || kind === 'check') {
      return { kept: `${textOf(sql, action)} not valid`, online: steps(VALIDATE, `${alter.head} validate constraint ${name.text};`) };
    }
    return kind === 'unique' ? uniqueOnline(sql, alter, name, definition, moved) : undefined;
  }
  if (!c.accept('alter')) return undefined;
  c.accept('column');
  const column = readName(sql, c);
  if (!column || !c.accept('set', 'not', 'null') || c.rest().length > 0) return undefined;
  moved.notNull.add(`${alter.table.key}.${column.key}`);
  return { online: notNullSteps(alter, column) };
}

// What may follow a unique constraint's columns and also follow UNIQUE USING INDEX.
const DEFERRAL = new Set(['deferrable', 'not', 'initially', 'deferred', 'immediate']);

/** `UNIQUE [NULLS [NOT] DISTINCT] (columns) [DEFERRABLE …]`: an index built concurrently, then attached. */
function uniqueOnline(sql: string, alter: AlterTable, name: Name, definition: Token[], moved: Moved): SafeAction | undefined {
  const c = new Cursor(definition);
  c.accept('unique');
  const nulls = c.accept('nulls', 'not', 'distinct') ? ' nulls not distinct' : c.accept('nulls', 'distinct') ? ' nulls distinct' : '';
  const rest = c.rest();
  const close = closingParen(rest);
  const deferral = rest.slice(close + 1);
  if (close === -1 || !deferral.every((t) => t.type === 'word' && DEFERRAL.has(t.value))) return undefined;
  moved.uniques.add(name.key);
  const columns = textOf(sql, rest.slice(0, close + 1));
  const attach = `${alter.head} add constraint ${name.text} unique using index ${name.text}${deferral.length > 0 ? ` ${textOf(sql, deferral)}` : ''};`;
  return {
    online: [
      { phase: BUILD, sql: `create unique index concurrently if not exists ${name.text} on ${alter.table.text} ${columns}${nulls};` },
      { phase: ATTACH, sql: attach },
    ],
  };
}

/**
 * SET NOT NULL without its scan under an ACCESS EXCLUSIVE lock: a check added NOT VALID (a brief lock),
 * validated (a scan that lets reads and writes through), which PostgreSQL 12+ takes as the proof that lets
 * SET NOT NULL skip its own scan, then dropped. The first statement drops a check left NOT VALID by a
 * run that failed at the validation (a NULL still there), so the migration can simply be run again.
 */
function notNullSteps(alter: AlterTable, column: Name): OnlineStep[] {
  // Not `<table>_<column>_not_null`: PostgreSQL 18 gives that name to the NOT NULL constraint itself, which
  // would then be created as `…_not_null1` while the check exists, and differ from a database built fresh.
  const check = `"${`${alter.table.key}_${column.key}`.slice(0, 63 - '_not_null_check'.length)}_not_null_check"`;
  return steps(
    VALIDATE,
    `${alter.head} drop constraint if exists ${check}, add constraint ${check} check (${column.text} is not null) not valid;`,
    `${alter.head} validate constraint ${check};`,
    `${alter.head} alter column ${column.text} set not null;`,
    `${alter.head} drop constraint ${check};`,
  );
}

function placeDown(st: Statement, moved: Moved): Placement {
  const dropped = parseDropIndex(st);
  if (dropped && moved.indexes.has(dropped.key)) return online(BUILD, `drop index concurrently if exists ${dropped.text};`);
  const index = parseCreateIndex(st);
  if (index && moved.indexes.has(index.index.key)) return online(BUILD, concurrentIndex(index));
  const alter = parseAlterTable(st);
  if (!alter) return keep(st);
  const toOnline = (action: Token[]) => {
    const c = new Cursor(action);
    if (c.accept('drop', 'constraint')) {
      c.accept('if', 'exists');
      return moved.uniques.has(readName(st.sql, c)?.key ?? '');
    }
    if (!c.accept('alter')) return false;
    c.accept('column');
    const column = readName(st.sql, c);
    return c.accept('drop', 'not', 'null') && moved.notNull.has(`${alter.table.key}.${column?.key}`);
  };
  const moving = alter.actions.filter(toOnline);
  if (moving.length === 0) return keep(st);
  const statement = (actions: Token[][]) => `${alter.head} ${actions.map((a) => textOf(st.sql, a)).join(', ')};`;
  const staying = alter.actions.filter((a) => !moving.includes(a));
  return { transactional: staying.length === 0 ? [] : [statement(staying)], online: steps(BUILD, statement(moving)) };
}
