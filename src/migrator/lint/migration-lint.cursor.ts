import type { Token } from './migration-lint.sql.js';

export interface TableName {
  /**
   * What identifies the table within one migration: the last part of the name, as PostgreSQL folds it
   * (unquoted lowercased, quoted as written). The schema is left out: `public.x` and `x` are one table.
   */
  key: string;
  /** The name as the messages show it: `public.pipeline_executions`. */
  display: string;
}

/** Reads one statement's tokens front to back. Keywords only ever match unquoted words. */
export class Cursor {
  constructor(
    private readonly tokens: Token[],
    private pos = 0,
  ) {}

  isWord(word: string, offset = 0): boolean {
    const token = this.tokens[this.pos + offset];
    return token?.type === 'word' && token.value === word;
  }

  /** Consumes the words if they come next, in this order; otherwise consumes nothing. */
  accept(...words: string[]): boolean {
    if (!words.every((word, i) => this.isWord(word, i))) return false;
    this.pos += words.length;
    return true;
  }

  acceptOp(op: string): boolean {
    const token = this.tokens[this.pos];
    if (token?.type !== 'op' || token.value !== op) return false;
    this.pos += 1;
    return true;
  }

  next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  /** A possibly schema-qualified name: `"x"`, `public.x`, `public."X"`. */
  name(): TableName | undefined {
    const parts: string[] = [];
    do {
      const token = this.tokens[this.pos];
      if (token?.type !== 'word' && token?.type !== 'ident') break;
      parts.push(token.value);
      this.pos += 1;
    } while (this.acceptOp('.'));
    if (parts.length === 0) return undefined;
    return { key: parts[parts.length - 1], display: parts.join('.') };
  }

  rest(): Token[] {
    return this.tokens.slice(this.pos);
  }
}

/** Whether the words occur in a row outside any parentheses: `not null` of a column, not of its CHECK. */
export function hasWords(tokens: Token[], ...words: string[]): boolean {
  return indexOfWords(tokens, ...words) !== -1;
}

export function indexOfWords(tokens: Token[], ...words: string[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const { type, value } = tokens[i];
    if (type === 'op' && value === '(') depth += 1;
    if (type === 'op' && value === ')') depth -= 1;
    const matches = words.every((word, k) => tokens[i + k]?.type === 'word' && tokens[i + k].value === word);
    if (depth === 0 && matches) return i;
  }
  return -1;
}
