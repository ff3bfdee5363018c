import type { InvalidParam } from './problem.js';

/** Deeper than this is refused: every later walk of the value (hashing, JSON.stringify, storing) stays far from the stack's limit. */
export const MAX_DEPTH = 256;

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const problem = (pointer: string, detail: string): InvalidParam => ({ in: 'body', pointer: pointer || '/', detail });

/**
 * The first part of `value` PostgreSQL's jsonb cannot hold as sent (a NUL character, a lone UTF-16
 * surrogate, a number too large to be finite), or nesting beyond MAX_DEPTH. Iterative, so that no body
 * can overflow the stack here.
 */
export function unstorable(value: unknown): InvalidParam | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  const badText = (s: string) => s.includes('\0') || !s.isWellFormed();
  while (stack.length > 0) {
    const [node, at, depth] = stack.pop() as [unknown, string, number];
    if (typeof node === 'string' && badText(node)) return problem(at, 'must not contain NUL characters or lone surrogates');
    if (typeof node === 'number' && !Number.isFinite(node)) return problem(at, 'must be a finite number');
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_DEPTH) return problem(at, `is nested more than ${MAX_DEPTH} levels deep`);
    for (const [key, child] of Object.entries(node)) {
      if (badText(key)) return problem(at, 'has a key with NUL characters or lone surrogates');
      stack.push([child, `${at}/${escape(key)}`, depth + 1]);
    }
  }
  return undefined;
}
