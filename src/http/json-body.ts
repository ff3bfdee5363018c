import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import type { InvalidParam } from '../common/problem.js';
import { bodyProblem, findInJson } from '../common/storable.js';
import { firstInvalidUtf8Byte } from './utf8.js';

/** A JSON escape of a UTF-16 surrogate (\ud800 to \udfff): the only way a JSON text can hold a lone one. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** Most bodies escape nothing: a plain search (about 15 µs a MB) skips the regular expression (ten times that). */
const mayEscapeSurrogate = (text: string) => text.includes('\\u') && SURROGATE_ESCAPE.test(text);
const NOT_ALLOWED = 'is not an allowed key: it could change the prototype of objects';

/** A lone UTF-16 surrogate (which PostgreSQL cannot store), or a key that could pollute prototypes. */
function badPart(node: unknown, at: string): InvalidParam | undefined {
  if (typeof node === 'string') return node.isWellFormed() ? undefined : bodyProblem(at, 'holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), which is not valid Unicode');
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (!key.isWellFormed()) return bodyProblem(at, 'has a key holding a lone UTF-16 surrogate, which is not valid Unicode');
    if (key === '__proto__') return bodyProblem(`${at}/__proto__`, NOT_ALLOWED);
    if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype')) {
      return bodyProblem(`${at}/constructor/prototype`, NOT_ALLOWED);
    }
  }
  return undefined;
}

/**
 * Why secure-json-parse refused `text` when it is valid JSON: the key it would not take (`__proto__`, or
 * `constructor` holding `prototype`). Plain JSON.parse makes such keys own properties, which are harmless.
 */
function forbiddenKey(text: string): InvalidParam | undefined {
  try {
    return findInJson(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), badPart);
  } catch {
    return undefined; // not JSON: Fastify's own "Body is not valid JSON" stands
  }
}

/**
 * Parses application/json bodies as Fastify does (secure-json-parse, refusing prototype poisoning), and
 * refuses with 400 naming the place: bytes that are not UTF-8 (rather than storing them as U+FFFD), a
 * `__proto__` or `constructor.prototype` key, and a lone surrogate, which PostgreSQL could not store. The
 * checks are cheap: isUtf8 is native, and the body is walked only when its text escapes a surrogate.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (!isUtf8(body)) {
      done(new InvalidRequestError(bodyProblem('/', `is not valid UTF-8: the first invalid byte is at offset ${firstInvalidUtf8Byte(body)}`)), undefined);
      return;
    }
    const text = body.toString('utf8');
    parse(request, text, (error, value) => {
      const problem = error ? forbiddenKey(text) : mayEscapeSurrogate(text) ? findInJson(value, badPart) : undefined;
      if (problem) done(new InvalidRequestError(problem), undefined);
      else if (error) done(error, undefined);
      else done(null, value);
    });
  });
}
