/**
 * Just enough of PostgreSQL's lexer for the migration lint: statements split on top-level `;`, and tokens
 * in which string literals, dollar-quoted bodies and comments can never be mistaken for keywords. It
 * knows nothing of the grammar; rules read the tokens with a Cursor.
 */
export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'op';

export interface Token {
  type: TokenType;
  /** Words lowercased (unquoted identifiers fold to lower case), identifiers and strings unquoted. */
  value: string;
  start: number;
  end: number;
}

export interface Statement {
  /** The statement as written, from its first token to its last (comments before it dropped). */
  text: string;
  tokens: Token[];
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y;
// `$1` is a parameter, not a tag: a tag cannot start with a digit.
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function sticky(pattern: RegExp, sql: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(sql)?.[0];
}

/** A '…' or "…" run: doubled quotes escape, and in E'…' strings so does a backslash. Unterminated runs to the end. */
function quoted(sql: string, at: number, quote: string, backslashes: boolean): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashes && c === '\\') {
      value += sql[i + 1] ?? '';
      i += 2;
    } else if (c === quote && sql[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i += 1;
    }
  }
  return { value, end: sql.length };
}

/** Where a comment starting at `at` ends; block comments nest in PostgreSQL. */
function commentEnd(sql: string, at: number): number {
  if (sql.startsWith('--', at)) {
    const newline = sql.indexOf('\n', at);
    return newline === -1 ? sql.length : newline + 1;
  }
  let depth = 0;
  let i = at;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) [depth, i] = [depth + 1, i + 2];
    else if (sql.startsWith('*/', i)) [depth, i] = [depth - 1, i + 2];
    else i += 1;
    if (depth === 0) return i;
  }
  return sql.length;
}

function tokenAt(sql: string, at: number): Token {
  const c = sql[at];
  const make = (type: TokenType, value: string, end: number): Token => ({ type, value, start: at, end });
  if ((c === 'e' || c === 'E') && sql[at + 1] === "'") {
    const { value, end } = quoted(sql, at + 1, "'", true);
    return make('string', value, end);
  }
  const word = sticky(WORD, sql, at);
  if (word) return make('word', word.toLowerCase(), at + word.length);
  if (c === "'" || c === '"') {
    const { value, end } = quoted(sql, at, c, false);
    return make(c === "'" ? 'string' : 'ident', value, end);
  }
  const tag = sticky(DOLLAR_TAG, sql, at);
  if (tag) {
    const close = sql.indexOf(tag, at + tag.length);
    const end = close === -1 ? sql.length : close + tag.length;
    return make('string', sql.slice(at + tag.length, close === -1 ? end : close), end);
  }
  const number = sticky(NUMBER, sql, at);
  if (number) return make('number', number, at + number.length);
  const op = sql.startsWith('::', at) ? '::' : c;
  return make('op', op, at + op.length);
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    if (/\s/.test(sql[i])) i += 1;
    else if (sql.startsWith('--', i) || sql.startsWith('/*', i)) i = commentEnd(sql, i);
    else {
      const token = tokenAt(sql, i);
      tokens.push(token);
      i = token.end;
    }
  }
  return tokens;
}

/** The statements in one string of SQL, split on `;` outside literals, identifiers and comments. */
export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let current: Token[] = [];
  const close = () => {
    if (current.length > 0) {
      statements.push({ text: sql.slice(current[0].start, current[current.length - 1].end), tokens: current });
    }
    current = [];
  };
  for (const token of tokenize(sql)) {
    if (token.type === 'op' && token.value === ';') close();
    else current.push(token);
  }
  close();
  return statements;
}

/** Token lists separated by `separator` outside parentheses and brackets: the actions of one ALTER TABLE. */
export function splitTopLevel(tokens: Token[], separator: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.type === 'op' && (token.value === '(' || token.value === '[')) depth += 1;
    if (token.type === 'op' && (token.value === ')' || token.value === ']')) depth -= 1;
    if (depth === 0 && token.type === 'op' && token.value === separator) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts.filter((part) => part.length > 0);
}
