import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import { toJson } from './fuzz-values.js';

/** What the suite knows about an answer in advance: a 4xx, a 401, a 403, or only "no 5xx, problem+json if 4xx". */
export type Expect = 'reject' | 'unauthorized' | 'forbidden' | 'any';

const clip = (s: string | undefined, n = 300) => (s === undefined ? '' : s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** One generated request, as Fastify's inject takes it; fast-check prints it clipped when a property fails. */
export class FuzzRequest {
  constructor(
    readonly family: string,
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly payload: string | undefined,
    readonly expect: Expect,
  ) {}

  /** Inject takes any header value; a real client can send only these, and its server strips the edges. */
  sendable(): boolean {
    return Object.values(this.headers).every((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v) && v.trim() === v);
  }

  describe(): string {
    const headers = Object.entries(this.headers).map(([k, v]) => `${k}: ${clip(v.replace(/pl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/g, 'pl_<key>'), 80)}`);
    return `[${this.family}, expect ${this.expect}] ${this.method} ${clip(this.url)} {${headers.join('; ')}} ${clip(this.payload)}`;
  }

  [fc.toStringMethod](): string {
    return this.describe();
  }
}

/** The pieces of a request before they are encoded; generators change one or two of them. */
export interface Parts {
  /** Path parameters, already percent-encoded (or deliberately not). */
  path: Record<string, string>;
  /** Query parameters, decoded; an array is repeated (?status=a&status=b). */
  query: Record<string, string | string[]>;
  /** A JSON body (Raw pieces allowed); undefined: no body. */
  body?: unknown;
  /** A raw body, instead of `body`. */
  text?: string;
  /** Default application/json when there is a body; null: no Content-Type. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** The Authorization header; undefined: the suite's key with every scope; null: none. */
  auth?: string | null;
  /** Another method than the route's. */
  method?: string;
  /** Appended to the path. */
  suffix?: string;
}

export interface RouteSpec {
  /** As in the OpenAPI document: 'POST /v1/executions/{execution_id}/events'. */
  route: string;
  scope: 'read' | 'ingest' | 'manage' | 'admin' | 'public';
  /** Per path parameter: valid values, and values the route refuses (already encoded). */
  path?: Record<string, { valid: fc.Arbitrary<string>; invalid: fc.Arbitrary<string> }>;
  /** The querystring schema, valid queries, and per parameter candidates for bad values (filtered by the schema). */
  query?: { schema: TSchema; valid: fc.Arbitrary<Record<string, string | string[]>>; candidates?: Record<string, fc.Arbitrary<string>> };
  /** The body schema, valid bodies, and per field candidates for bad values (filtered by the schema). */
  body?: { schema: TSchema; valid: fc.Arbitrary<unknown>; candidates: Record<string, fc.Arbitrary<unknown>> };
  /** Headers the route validates (Idempotency-Key), each with values it refuses. */
  headers?: Record<string, fc.Arbitrary<string>>;
  /** The route takes bodies up to METRICS_BATCH_BODY_LIMIT_BYTES (16 MiB), not BODY_LIMIT_BYTES: no oversized bodies then. */
  largeBody?: boolean;
  /** Requests valid by the schemas that the service refuses: unknown ids, conflicts, its own rules. */
  semantic?: fc.Arbitrary<Partial<Parts>>;
}

function pairs(query: Record<string, string | string[]>): string {
  return Object.entries(query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');
}

/** The request `parts` make on `spec`'s route, sent with `key` unless parts say otherwise. */
export function toRequest(spec: RouteSpec, parts: Parts, family: string, expect: Expect, key: string): FuzzRequest {
  const [method, template] = spec.route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => parts.path[name]) + (parts.suffix ?? '');
  const query = pairs(parts.query);
  const headers: Record<string, string> = { ...parts.headers };
  const auth = parts.auth === undefined ? (spec.scope === 'public' ? null : `Bearer ${key}`) : parts.auth;
  if (auth !== null) headers.authorization = auth;
  const payload = parts.text ?? (parts.body === undefined ? undefined : toJson(parts.body));
  const contentType = parts.contentType === undefined ? 'application/json' : parts.contentType;
  if (payload !== undefined && contentType !== null) headers['content-type'] = contentType;
  return new FuzzRequest(family, parts.method ?? method, query ? `${path}?${query}` : path, headers, payload, expect);
}
