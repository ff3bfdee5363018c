import type { InvalidParam } from './problem.js';

/** Deeper than this is refused: every later walk of the value (hashing, JSON.stringify, storing) stays far from the stack's limit. */
export const MAX_DEPTH = 256;

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
export const bodyProblem = (pointer: string, detail: string): InvalidParam => ({ in: 'body', pointer: pointer || '/', detail });

/**
 * Visits `value` and every value inside it, depth first, with its JSON pointer and depth, and returns the
 * first problem `visit` finds. Iterative, so that no body can overflow the stack here.
 */
export function findInJson(value: unknown, visit: (node: unknown, pointer: string, depth: number) => InvalidParam | undefined): InvalidParam | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length > 0) {
    const [node, at, depth] = stack.pop() as [unknown, string, number];
    const found = visit(node, at, depth);
    if (found) return found;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) stack.push([child, `${at}/${escape(key)}`, depth + 1]);
  }
  return undefined;
}

const badText = (s: string) => s.includes('\0') || !s.isWellFormed();

/**
 * The first part of `value` PostgreSQL's jsonb cannot hold as sent (a NUL character, a lone UTF-16
 * surrogate, a number too large to be finite), or nesting beyond MAX_DEPTH.
 */
export function unstorable(value: unknown): InvalidParam | undefined {
  return findInJson(value, (node, at, depth) => {
    if (typeof node === 'string') return badText(node) ? bodyProblem(at, 'must not contain NUL characters or lone surrogates') : undefined;
    if (typeof node === 'number') return Number.isFinite(node) ? undefined : bodyProblem(at, 'must be a finite number');
    if (typeof node !== 'object' || node === null) return undefined;
    if (depth >= MAX_DEPTH) return bodyProblem(at, `is nested more than ${MAX_DEPTH} levels deep`);
    return Object.keys(node).some(badText) ? bodyProblem(at, 'has a key with NUL characters or lone surrogates') : undefined;
  });
}
