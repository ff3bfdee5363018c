import { Cursor } from '../lint/migration-lint.cursor.js';
import type { Token } from '../lint/migration-lint.sql.js';
import { closingParen, isWithoutNotValid, readName, textOf, type AlterTable, type Name, type Statement } from './sql-pieces.js';

// The online steps of the safe form (safe-form.ts) and the ALTER TABLE actions that have one, up and down:
// constraints added NOT VALID then validated, unique constraints attached to an index built concurrently,
// SET NOT NULL proven by a validated check.

/** What up() moved to the online part, so that down() follows it there. */
export interface Moved {
  /** Tables created by this up(): new and empty, so everything on them stays in the transaction. */
  created: Set<string>;
  indexes: Set<string>;
  uniques: Set<string>;
  /** `table.column` made NOT NULL through a validated check. */
  notNull: Set<string>;
}

// The online part builds every index before validating anything, and attaches unique constraints last:
// attaching is the one step that cannot run twice, so a run that fails before it can simply be repeated.
export const BUILD = 0;
const VALIDATE = 1;
const ATTACH = 2;

export interface OnlineStep {
  phase: number;
  sql: string;
}

export interface Placement {
  transactional: string[];
  online: OnlineStep[];
}

export const steps = (phase: number, ...sqls: string[]): OnlineStep[] => sqls.map((sql) => ({ phase, sql }));
/** A statement left as it is, in the transaction. */
export const keep = (st: Statement): Placement => ({ transactional: [`${st.sql};`], online: [] });

/** Each action of an ALTER TABLE on an existing table that has a safe form moves; the others stay together. */
export function alterUp(st: Statement, alter: AlterTable, moved: Moved): Placement {
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

/** The down() actions that undo what up() moved online (a unique constraint, a NOT NULL) follow it there. */
export function alterDown(st: Statement, alter: AlterTable, moved: Moved): Placement {
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
