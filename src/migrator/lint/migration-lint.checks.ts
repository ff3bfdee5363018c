import { checkAlterTable } from './migration-lint.alter-table.js';
import { Cursor } from './migration-lint.cursor.js';
import type { Hit, LintContext } from './migration-lint.rules.js';
import type { Token } from './migration-lint.sql.js';

// Words that may stand between CREATE and TABLE.
const TABLE_MODIFIERS = new Set(['or', 'replace', 'global', 'local', 'temp', 'temporary', 'unlogged']);
const TIMEOUTS = new Set(['lock_timeout', 'statement_timeout']);
// 0, '0', '0ms', '0s', 0.0 …: every spelling of "no timeout".
const ZERO = /^\s*(0+(\.0*)?|\.0+)\s*(us|ms|s|min|h|d)?\s*$/i;

/** The findings of one statement, in the context of the statements before it in the same migration. */
export function checkStatement(tokens: Token[], ctx: LintContext): Hit[] {
  const c = new Cursor(tokens);
  const concurrently = (what: string) => refusedInTransaction(what, ctx);
  const hits = checkSetConfig(tokens);
  if (c.accept('create')) hits.push(...checkCreate(c, ctx, concurrently));
  else if (c.accept('alter', 'table')) hits.push(...checkAlterTable(c, ctx, concurrently));
  else if (c.accept('drop', 'table')) hits.push(...checkDropTable(c, ctx));
  else if (c.accept('drop', 'index', 'concurrently')) hits.push(...concurrently('DROP INDEX CONCURRENTLY'));
  else if (c.accept('drop', 'index')) hits.push(...checkDropIndex(c, ctx));
  // REINDEX takes CONCURRENTLY after its object kind or, since PostgreSQL 14, among its options in parentheses.
  else if (c.accept('reindex') && tokens.some((t) => t.type === 'word' && t.value === 'concurrently')) hits.push(...concurrently('REINDEX CONCURRENTLY'));
  else if (c.accept('vacuum')) hits.push(...concurrently('VACUUM'));
  else if (c.accept('set')) hits.push(...checkSet(c));
  return hits;
}

function refusedInTransaction(what: string, ctx: LintContext): Hit[] {
  const rule = 'concurrently-in-transaction';
  if (ctx.transactional) return [{ rule, message: `${what} in a transactional migration: PostgreSQL refuses it inside a transaction block` }];
  if (ctx.sharesString) {
    return [{ rule, message: `${what} shares its addSql() string with other statements, which PostgreSQL runs as one implicit transaction` }];
  }
  return [];
}

function checkCreate(c: Cursor, ctx: LintContext, concurrently: (what: string) => Hit[]): Hit[] {
  if (c.accept('index') || c.accept('unique', 'index')) return checkCreateIndex(c, ctx, concurrently);
  while (TABLE_MODIFIERS.has(c.rest()[0]?.value ?? '') && c.rest()[0].type === 'word') c.next();
  if (!c.accept('table')) return [];
  c.accept('if', 'not', 'exists');
  const table = c.name();
  if (table) ctx.created.add(table.key);
  return [];
}

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table …` */
function checkCreateIndex(c: Cursor, ctx: LintContext, concurrently: (what: string) => Hit[]): Hit[] {
  const isConcurrent = c.accept('concurrently');
  c.accept('if', 'not', 'exists');
  if (!c.isWord('on')) {
    const index = c.name();
    if (index) ctx.createdIndexes.add(index.key);
  }
  if (!c.accept('on')) return [];
  c.accept('only');
  const table = c.name();
  if (isConcurrent) return concurrently('CREATE INDEX CONCURRENTLY');
  if (!table || ctx.created.has(table.key)) return [];
  return [{ rule: 'create-index-not-concurrently', message: `builds an index on "${table.display}" without CONCURRENTLY` }];
}

/** `DROP TABLE [IF EXISTS] a, b [CASCADE]`: one finding per table that existed before this migration. */
function checkDropTable(c: Cursor, ctx: LintContext): Hit[] {
  c.accept('if', 'exists');
  const hits: Hit[] = [];
  do {
    const table = c.name();
    if (!table) break;
    if (!ctx.created.delete(table.key)) hits.push({ rule: 'drop-table', message: `drops table "${table.display}"` });
  } while (c.acceptOp(','));
  return hits;
}

/** `DROP INDEX [IF EXISTS] a, b [CASCADE]`: one finding per index that existed before this migration. */
function checkDropIndex(c: Cursor, ctx: LintContext): Hit[] {
  c.accept('if', 'exists');
  const hits: Hit[] = [];
  do {
    const index = c.name();
    if (!index) break;
    if (!ctx.createdIndexes.delete(index.key)) hits.push({ rule: 'drop-index-not-concurrently', message: `drops index "${index.display}" without CONCURRENTLY` });
  } while (c.acceptOp(','));
  return hits;
}

/**
 * `SET [SESSION | LOCAL] lock_timeout { = | TO } 0`, and the same for statement_timeout. `TO DEFAULT` and
 * RESET are fine: the runner gives its timeouts at connect, so the session's default is the runner's value.
 */
function checkSet(c: Cursor): Hit[] {
  if (!c.accept('session')) c.accept('local');
  const setting = c.next();
  if (!setting || !isTimeoutName(setting)) return [];
  if (!c.acceptOp('=') && !c.accept('to')) return [];
  const value = c.next();
  const off = value !== undefined && value.type !== 'word' && ZERO.test(value.value);
  return off ? [{ rule: 'missing-timeout', message: `sets ${setting.value} to ${value?.value}, which turns it off` }] : [];
}

/** `select set_config('lock_timeout', '0', …)` anywhere in a statement. */
function checkSetConfig(tokens: Token[]): Hit[] {
  const hits: Hit[] = [];
  tokens.forEach((token, i) => {
    const [open, name, comma, value] = tokens.slice(i + 1, i + 5);
    const call = token.type === 'word' && token.value === 'set_config' && open?.value === '(' && comma?.value === ',';
    if (call && name.type === 'string' && TIMEOUTS.has(name.value) && value?.type === 'string' && ZERO.test(value.value)) {
      hits.push({ rule: 'missing-timeout', message: `set_config('${name.value}', '${value.value}') turns it off` });
    }
  });
  return hits;
}

function isTimeoutName(token: Token): boolean {
  return (token.type === 'word' || token.type === 'ident') && TIMEOUTS.has(token.value);
}
