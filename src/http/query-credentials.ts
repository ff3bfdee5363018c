import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { holdsApiKey, redactApiKeysIn } from '../logging/redaction.js';
import type { Problem } from '../common/problem.js';
import { toProblem } from './problem.mapper.js';

/** Query parameter names clients commonly put credentials in; no route of ours has a parameter so named. */
const CREDENTIAL_NAMES = new Set(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token']);

/** A key in a URL ends up in proxies' logs, browser histories and Referer headers: refused, whatever the route. */
export class KeyInQueryError extends DomainError {
  readonly code = 'REQUEST.KEY_IN_QUERY';
  override readonly expose = true;

  constructor(parameter: string) {
    super(`the query parameter "${parameter}" looks like a credential; send the API key as "Authorization: Bearer <key>" and never in a URL`);
  }
}

/** The first query parameter of `url` named like a credential or whose value is shaped like an API key. */
export function credentialParameter(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  for (const [name, value] of new URLSearchParams(url.slice(start + 1))) {
    if (CREDENTIAL_NAMES.has(name.toLowerCase()) || holdsApiKey(value) || holdsApiKey(name)) return name;
  }
  return undefined;
}

/** What a problem's `instance` says of a request: its path, never the query string. */
export function problemInstance(url: string): string {
  return url.split('?', 1)[0];
}

/**
 * The problem+json body of `error` answering `request`. Any API key in it is redacted: a 404's detail
 * quotes the path ("Cannot GET /x/<key>"), and a validation error may quote a value.
 */
export function problemBody(error: unknown, request: FastifyRequest): Problem & { instance: string; request_id: string } {
  return redactApiKeysIn({ ...toProblem(error), instance: problemInstance(request.url), request_id: request.id }) as Problem & { instance: string; request_id: string };
}

/** Sends `error` as problem+json from a hook or a Fastify callback, outside Nest's exception filter. */
export function replyProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body = problemBody(error, request);
  void reply.code(body.status).header('content-type', 'application/problem+json').send(body);
}

/**
 * Refuses a request with a key in its query string (400, REQUEST.KEY_IN_QUERY) in the first hook, before
 * authentication, routing to Nest or reading the body: the key is not looked up, so a caller cannot use
 * the query string to learn whether a key is valid.
 */
export function registerQueryCredentialsCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const parameter = credentialParameter(request.url);
    if (parameter === undefined) return done();
    replyProblem(new KeyInQueryError(holdsApiKey(parameter) ? '(a key)' : parameter), request, reply);
  });
}
