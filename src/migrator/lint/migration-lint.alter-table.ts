import { checkColumn } from './migration-lint.add-column.js';
import { Cursor, hasWords, type TableName } from './migration-lint.cursor.js';
import type { Hit, LintContext } from './migration-lint.rules.js';
import { splitTopLevel, type Token } from './migration-lint.sql.js';

// What can follow ADD when it adds a table constraint rather than a column.
const CONSTRAINT_KINDS = new Set(['check', 'foreign', 'unique', 'primary', 'exclude']);

/**
 * `ALTER TABLE [IF EXISTS] [ONLY] name action [, action …]`: one finding per unsafe action. On a table
 * created earlier in the same migration only a refused CONCURRENTLY matters: the table is new and empty,
 * and no running release knows it yet.
 */
export function checkAlterTable(c: Cursor, ctx: LintContext, concurrently: (what: string) => Hit[]): Hit[] {
  c.accept('if', 'exists');
  c.accept('only');
  const table = c.name();
  if (!table) return [];
  c.acceptOp('*');
  const isNew = ctx.created.has(table.key);
  const hits: Hit[] = [];
  for (const tokens of splitTopLevel(c.rest(), ',')) {
    const action = new Cursor(tokens);
    if (action.accept('detach', 'partition') && hasWords(tokens, 'concurrently')) hits.push(...concurrently('DETACH PARTITION … CONCURRENTLY'));
    else if (!isNew) hits.push(...checkAction(action, table, ctx));
    else trackRename(action, ctx);
  }
  return hits;
}

function checkAction(c: Cursor, table: TableName, ctx: LintContext): Hit[] {
  const on = `"${table.display}"`;
  if (c.accept('add')) return checkAdd(c, table, ctx);
  if (c.accept('validate', 'constraint')) {
    const name = c.name();
    const proves = name && ctx.notNullChecks.get(name.key);
    if (proves) ctx.provenNotNull.add(proves);
    if (!name || !ctx.transactional || !ctx.notValid.has(name.key)) return [];
    return [{ rule: 'validate-in-same-transaction', message: `validates constraint "${name.display}" of ${on} in the transaction that added it` }];
  }
  if (c.accept('drop')) {
    if (c.isWord('constraint')) return [];
    c.accept('column');
    c.accept('if', 'exists');
    return named(c, (column) => ({ rule: 'drop-column', message: `drops column "${column}" of ${on}` }));
  }
  if (c.accept('alter')) {
    if (c.isWord('constraint')) return [];
    c.accept('column');
    const name = c.name();
    const column = `"${name?.display}" of ${on}`;
    // PostgreSQL 12+ takes a validated CHECK (column IS NOT NULL) as the proof that spares SET NOT NULL its scan.
    if (c.accept('set', 'not', 'null')) {
      return ctx.provenNotNull.has(`${table.key}.${name?.key}`) ? [] : [{ rule: 'set-not-null', message: `sets ${column} NOT NULL` }];
    }
    if (c.accept('type') || c.accept('set', 'data', 'type')) return [{ rule: 'alter-column-type', message: `changes the type of ${column}` }];
    return [];
  }
  if (c.accept('rename')) {
    if (c.accept('to')) return named(c, (to) => ({ rule: 'rename-table', message: `renames ${on} to "${to}"` }));
    if (c.isWord('constraint')) return [];
    c.accept('column');
    return named(c, (column) => ({ rule: 'rename-column', message: `renames column "${column}" of ${on}` }));
  }
  if (c.accept('set', 'schema')) return named(c, (schema) => ({ rule: 'rename-table', message: `moves ${on} to schema "${schema}"` }));
  return [];
}

/** A finding about the name that comes next, or none when the statement stops short of it. */
function named(c: Cursor, hit: (name: string) => Hit): Hit[] {
  const name = c.name();
  return name ? [hit(name.display)] : [];
}

/** A new table renamed in the migration that created it is still new under its new name. */
function trackRename(c: Cursor, ctx: LintContext): void {
  if (!c.accept('rename', 'to')) return;
  const renamed = c.name();
  if (renamed) ctx.created.add(renamed.key);
}

function checkAdd(c: Cursor, table: TableName, ctx: LintContext): Hit[] {
  const on = `"${table.display}"`;
  if (c.accept('constraint')) {
    const name = c.name();
    if (name && hasWords(c.rest(), 'not', 'valid')) ctx.notValid.add(name.key);
    const column = name && notNullCheckColumn(c.rest());
    if (column) ctx.notNullChecks.set(name.key, `${table.key}.${column}`);
    return checkConstraint(c.rest(), `constraint "${name?.display}" on ${on}`);
  }
  const next = c.rest()[0];
  if (next?.type === 'word' && CONSTRAINT_KINDS.has(next.value)) return checkConstraint(c.rest(), `a constraint on ${on}`);
  c.accept('column');
  c.accept('if', 'not', 'exists');
  const column = c.name();
  return checkColumn(c.rest(), `column "${column?.display}" to ${on}`);
}

/** The column of `CHECK (column IS NOT NULL) …`, the one check PostgreSQL uses to skip SET NOT NULL's scan. */
function notNullCheckColumn(definition: Token[]): string | undefined {
  const [check, open, column, is, not, isNull, close] = definition;
  const word = (token: Token | undefined, value: string) => token?.type === 'word' && token.value === value;
  const op = (token: Token | undefined, value: string) => token?.type === 'op' && token.value === value;
  const shape = word(check, 'check') && op(open, '(') && word(is, 'is') && word(not, 'not') && word(isNull, 'null') && op(close, ')');
  return shape && (column.type === 'word' || column.type === 'ident') ? column.value : undefined;
}

function checkConstraint(definition: Token[], what: string): Hit[] {
  if (hasWords(definition, 'not', 'valid')) return [];
  const kind = definition[0]?.value;
  if (kind === 'foreign') return [{ rule: 'add-foreign-key-without-not-valid', message: `adds foreign key ${what} without NOT VALID` }];
  if (kind === 'check') return [{ rule: 'add-check-without-not-valid', message: `adds check ${what} without NOT VALID` }];
  // UNIQUE / PRIMARY KEY build their index under ACCESS EXCLUSIVE, unless an index built concurrently is adopted.
  if ((kind === 'unique' || kind === 'primary') && !hasWords(definition, 'using', 'index')) {
    return [{ rule: 'add-unique-constraint', message: `adds ${kind === 'unique' ? 'unique' : 'primary key'} ${what}, building its index under an exclusive lock` }];
  }
  return [];
}
