import { hasWords, indexOfWords } from './migration-lint.cursor.js';
import type { Hit } from './migration-lint.rules.js';
import type { Token } from './migration-lint.sql.js';

// Column types that come with a default of their own: nextval() of a new sequence.
const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);
// The words that end a DEFAULT expression: the column constraint after it.
const AFTER_DEFAULT = new Set(['constraint', 'not', 'null', 'check', 'unique', 'primary', 'references', 'generated', 'collate', 'deferrable', 'initially']);
// Stable and immutable functions that defaults call. PostgreSQL 11+ evaluates such a default once, at the ADD,
// and keeps the value in the catalog: no rewrite. Any other function may be volatile, which does rewrite.
const NOT_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_timestamp', 'current_date', 'current_time', 'localtime',
  'localtimestamp', 'timezone', 'date_trunc', 'date_part', 'extract', 'make_date', 'make_time', 'make_timestamp',
  'make_timestamptz', 'make_interval', 'to_timestamp', 'to_date', 'to_char', 'to_number', 'current_setting',
  'current_schema', 'current_database', 'current_user', 'session_user', 'to_json', 'to_jsonb', 'json_build_object',
  'json_build_array', 'jsonb_build_object', 'jsonb_build_array', 'array_fill', 'lower', 'upper', 'trim', 'btrim',
  'ltrim', 'rtrim', 'concat', 'concat_ws', 'length', 'substr', 'substring', 'replace', 'md5', 'coalesce', 'nullif',
  'greatest', 'least', 'abs', 'round', 'floor', 'ceil', 'cast', 'int4range', 'int8range', 'numrange', 'daterange',
  'tsrange', 'tstzrange',
]);
// Volatile functions seen in defaults: the message then says so rather than "not known to be stable".
const VOLATILE = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc',
  'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'currval', 'lastval', 'setval',
]);

/** ADD COLUMN: its type and column constraints, read outside parentheses so a CHECK's `is not null` is not the column's. */
export function checkColumn(definition: Token[], what: string): Hit[] {
  const hits: Hit[] = [];
  const notNull = hasWords(definition, 'not', 'null') || hasWords(definition, 'primary', 'key');
  if (notNull && !hasDefault(definition)) {
    hits.push({ rule: 'add-column-not-null-without-default', message: `adds NOT NULL ${what} without a default` });
  }
  hits.push(...checkRewrite(definition, what));
  if (hasWords(definition, 'references')) {
    hits.push({ rule: 'add-foreign-key-without-not-valid', message: `adds ${what} with a validated REFERENCES constraint` });
  }
  if (hasWords(definition, 'check')) hits.push({ rule: 'add-check-without-not-valid', message: `adds ${what} with a validated CHECK` });
  return hits;
}

/** The column definitions that give each existing row a value of its own, computed by rewriting the table. */
function checkRewrite(definition: Token[], what: string): Hit[] {
  const type = definition[0]?.type === 'word' ? definition[0].value : '';
  if (SERIAL_TYPES.has(type)) return [{ rule: 'add-column-serial-or-identity', message: `adds ${type} ${what}` }];
  if (hasWords(definition, 'as', 'identity')) return [{ rule: 'add-column-serial-or-identity', message: `adds identity ${what}` }];
  if (hasWords(definition, 'generated') && hasWords(definition, 'stored')) {
    return [{ rule: 'add-column-generated-stored', message: `adds stored generated ${what}` }];
  }
  const call = riskyCall(defaultExpression(definition));
  if (!call) return [];
  const why = VOLATILE.has(call) ? `${call}() is volatile` : `${call}() is not a function the lint knows to be stable or immutable`;
  return [{ rule: 'add-column-volatile-default', message: `adds ${what} with DEFAULT calling ${call}(): ${why}` }];
}

/** A DEFAULT other than NULL, a generated or identity column, or a serial type. */
function hasDefault(definition: Token[]): boolean {
  if (SERIAL_TYPES.has(definition[0]?.value ?? '')) return true;
  if (hasWords(definition, 'generated')) return true;
  const expression = defaultExpression(definition);
  return expression.length > 0 && !(expression.length === 1 && expression[0].type === 'word' && expression[0].value === 'null');
}

/** The tokens of the DEFAULT expression, up to the next column constraint outside parentheses. */
function defaultExpression(definition: Token[]): Token[] {
  const at = indexOfWords(definition, 'default');
  if (at === -1) return [];
  const expression: Token[] = [];
  let depth = 0;
  for (const token of definition.slice(at + 1)) {
    if (token.type === 'op' && token.value === '(') depth += 1;
    if (token.type === 'op' && token.value === ')') depth -= 1;
    const ends = depth === 0 && token.type === 'word' && AFTER_DEFAULT.has(token.value) && expression.length > 0;
    if (ends) break;
    expression.push(token);
  }
  return expression;
}

/**
 * The first function the expression calls that is not known to be stable or immutable: a name followed by `(`,
 * unless it is a type after `::` or CAST's `AS` (`'0'::numeric(10, 2)`).
 */
function riskyCall(expression: Token[]): string | undefined {
  for (let i = 0; i + 1 < expression.length; i += 1) {
    const [before, name, open] = [expression[i - 1], expression[i], expression[i + 1]];
    const isName = name.type === 'word' || name.type === 'ident';
    const isType = before?.value === '::' || (before?.type === 'word' && before.value === 'as');
    if (isName && open.type === 'op' && open.value === '(' && !isType && !NOT_VOLATILE.has(name.value)) return name.value;
  }
  return undefined;
}
