import fc from 'fast-check';
import { bearerToken } from '../../src/auth/api-key-credentials.js';
import { FuzzRequest, toRequest, type Expect, type Parts, type RouteSpec } from './fuzz-requests.js';
import { anyJson, anyString, bodyRefused, deepJson, headerText, nearMiss, textAccepts, toJson } from './fuzz-values.js';

// The kinds of malformed request every route gets, built from its RouteSpec: each kind either cannot be
// valid by construction or is filtered through the app's own schemas, so "reject" always means a 4xx.

export interface FuzzContext {
  /** The suite's key with every scope. */
  key: string;
  /** Keys with one scope each, for the 403 a route gives a key without its scope. */
  scoped: Record<'read' | 'ingest' | 'manage' | 'admin', string>;
  revokedKey: string;
  /** The methods the OpenAPI document lists per path (lower case). */
  methods: Record<string, string[]>;
}

type Family = { weight: number; arbitrary: fc.Arbitrary<FuzzRequest> };
type Query = Record<string, string | string[]>;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const NON_JSON_TYPES = fc.oneof(
  fc.constantFrom('text/plain', 'text/plain; charset=utf-8', 'text/html', 'application/xml', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=fuzz', 'application/octet-stream', 'application/javascript', '*/*', 'application/*', 'application', '', ';'),
  headerText,
).filter((t) => !/json/i.test(t));

const NOISE_NAMES = fc.oneof(
  fc.constantFrom('x-request-id', 'accept', 'accept-language', 'user-agent', 'x-forwarded-for', 'x-forwarded-proto', 'x-real-ip', 'referer',
    'cookie', 'cache-control', 'if-none-match', 'x-http-method-override', 'forwarded', 'prefer', 'origin'),
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
);
/** Headers no route reads: they must change nothing. */
const noise = fc.dictionary(NOISE_NAMES, headerText, { maxKeys: 3 });

const RAW_JSON = fc.constantFrom('{', '}', '{"a":}', "{'pipeline_name':'x'}", '{"a":1,}', '[1,]', 'NaN', 'undefined', '{"a":NaN}', '{"a":Infinity}',
  '{"a":0x10}', '{"a":01}', '{"a":"\\x41"}', '{"a":"\u0001"}', '/*c*/{}', '{"a":1}//', '\u0000', '\ufeff', '{} {}', '{"a":"b"} trailing',
  '{"__proto__":{"admin":true}}', '{"a":{"__proto__":{}}}', '{"constructor":{"prototype":{"admin":true}}}', 'null', '""', '[]', '"\\ud800"');

const wellFormed = (q: Query) => Object.entries(q).every(([k, v]) => k.isWellFormed() && [v].flat().every((x) => x.isWellFormed()));

/** Authorization headers that are not the suite's key: absent, garbage, other schemes, near misses, revoked. */
function badAuth(ctx: FuzzContext): fc.Arbitrary<string | null> {
  const key = ctx.key;
  return fc.oneof(
    fc.constantFrom(null, '', 'Bearer', 'Bearer null', 'Basic YTpi', 'Digest username="a"', `Token ${key}`, `Bearer\t${key}`, key,
      `Bearer ${key}${key}`, `Bearer ${key.slice(0, -1)}`, `Bearer ${key},Bearer ${key}`, `Bearer ${key} x`, `Bearer ${ctx.revokedKey}`),
    headerText,
    headerText.map((t) => `Bearer ${t}`),
    nearMiss(fc.constant(key)).map((k) => `Bearer ${k}`),
    fc.tuple(fc.stringMatching(/^[0-9a-f]{8}$/), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([p, s]) => `Bearer pl_${p}_${s}`),
    fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `Bearer ${key.slice(0, 12)}${s}`),
  ).filter((h) => h === null || (bearerToken(h) !== key && bearerToken(h.trim()) !== key));
}

/** Requests built from the spec's valid values: the base every kind of malformed request starts from. */
function validParts(spec: RouteSpec): fc.Arbitrary<Parts> {
  const path = Object.fromEntries(Object.entries(spec.path ?? {}).map(([name, p]) => [name, p.valid]));
  return fc.record({ path: fc.record(path), query: spec.query?.valid ?? fc.constant({}), body: spec.body?.valid ?? fc.constant(undefined) });
}

function bodyFamilies(spec: RouteSpec, valid: fc.Arbitrary<Parts>, make: Maker): Family[] {
  const schema = spec.body?.schema;
  const refused = (p: Parts) => bodyRefused(schema, p.text ?? toJson(p.body));
  const families: Family[] = [
    { weight: 3, arbitrary: fc.tuple(valid, fc.oneof(RAW_JSON, anyString, fc.nat())).map(([p, raw]) => {
      const text = toJson(p.body ?? {});
      return { ...p, text: typeof raw === 'number' ? text.slice(0, raw % text.length) : raw };
    }).filter(refused).map(make('raw body', 'reject')) },
  ];
  if (!spec.body) return families;
  const { candidates } = spec.body;
  const shape = spec.body.schema as { required?: string[]; additionalProperties?: unknown };
  const body = (p: Parts) => p.body as Record<string, unknown>;
  families.push({ weight: 2, arbitrary: fc.tuple(valid, fc.oneof(anyJson, deepJson)).map(([p, v]) => ({ ...p, body: v })).filter(refused).map(make('body not an object', 'reject')) });
  // Only the kinds that can break this schema: a filter that never passes would never end.
  if (Object.keys(candidates).length > 0) {
    families.push({ weight: 7, arbitrary: fc.tuple(valid, fc.constantFrom(...Object.keys(candidates)))
      .chain(([p, field]) => candidates[field].map((v) => ({ ...p, body: { ...body(p), [field]: v } })))
      .filter(refused).map(make('body field', 'reject')) });
  }
  if (shape.required?.length) {
    families.push({ weight: 2, arbitrary: fc.tuple(valid, fc.nat()).map(([p, i]) => {
      const keys = Object.keys(body(p));
      return { ...p, body: Object.fromEntries(Object.entries(body(p)).filter(([k]) => k !== keys[i % keys.length])) };
    }).filter(refused).map(make('body missing field', 'reject')) });
  }
  if (shape.additionalProperties === false) {
    families.push({ weight: 3, arbitrary: fc.tuple(valid, fc.oneof(fc.stringMatching(/^[a-z_]{1,20}$/), anyString), anyJson)
      .map(([p, k, v]) => ({ ...p, body: { ...body(p), [k]: v } })).filter(refused).map(make('body extra field', 'reject')) });
  }
  return families;
}

function queryFamilies(spec: RouteSpec, valid: fc.Arbitrary<Parts>, make: Maker): Family[] {
  if (!spec.query) return [];
  const { schema, candidates = {} } = spec.query;
  const known = Object.keys((schema as { properties?: object }).properties ?? {});
  const required = (schema as { required?: string[] }).required ?? [];
  const refused = (p: Parts) => wellFormed(p.query) && !textAccepts(schema, p.query);
  const withParam = (p: Parts, name: string, value: string | string[]) => ({ ...p, query: { ...p.query, [name]: value } });
  const families: Family[] = [
    { weight: 2, arbitrary: fc.tuple(valid, fc.oneof(fc.stringMatching(/^[a-z_]{1,20}$/), anyString.filter((s) => s.length > 0 && s.length < 300)), anyString)
      .filter(([, name, value]) => !known.includes(name) && value.length < 5000).map(([p, name, value]) => withParam(p, name, value))
      .filter(refused).map(make('query unknown parameter', 'reject')) },
  ];
  if (known.length === 0) return families;
  const value = (name: string) => fc.oneof(candidates[name] ?? anyString, anyString).filter((s) => s.length < 5000);
  return [
    ...families,
    { weight: 4, arbitrary: fc.tuple(valid, fc.constantFrom(...known)).chain(([p, name]) => value(name).map((v) => withParam(p, name, v)))
      .filter(refused).map(make('query bad value', 'reject')) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...known)).chain(([p, name]) => fc.array(value(name), { minLength: 2, maxLength: 25 }).map((v) => withParam(p, name, v)))
      .filter(refused).map(make('query repeated parameter', 'reject')) },
    ...required.map((name) => ({ weight: 1, arbitrary: valid.map((p) => ({ ...p, query: Object.fromEntries(Object.entries(p.query).filter(([k]) => k !== name)) }))
      .filter(refused).map(make('query missing parameter', 'reject')) })),
  ];
}

type Maker = (family: string, expect: Expect) => (parts: Parts) => FuzzRequest;

/** What a POST gets beyond its body: another media type, a body past the size limit. */
function postFamilies(spec: RouteSpec, valid: fc.Arbitrary<Parts>, make: Maker): Family[] {
  const families: Family[] = [
    ...bodyFamilies(spec, valid, make),
    { weight: 2, arbitrary: fc.tuple(valid, fc.option(NON_JSON_TYPES, { nil: null }))
      .map(([p, type]) => ({ ...p, body: p.body ?? {}, contentType: type })).map(make('content type', 'reject')) },
  ];
  // Past BODY_LIMIT_BYTES (1 MiB by default): 413 before the body is read.
  if (!spec.largeBody) {
    families.push({ weight: 1, arbitrary: fc.tuple(valid, fc.integer({ min: 1_048_577, max: 1_150_000 }))
      .map(([p, n]) => ({ ...p, text: `{"padding":"${'x'.repeat(n)}"}` })).map(make('oversized body', 'reject')) });
  }
  return families;
}

/** Keys: none, bad or revoked ones (401), keys without the route's scope (403); for the probes, anything. */
function accessFamilies(spec: RouteSpec, valid: fc.Arbitrary<Parts>, make: Maker, ctx: FuzzContext): Family[] {
  if (spec.scope === 'public') {
    return [
      { weight: 3, arbitrary: fc.tuple(valid, badAuth(ctx)).map(([p, auth]) => ({ ...p, auth })).map(make('authorization', 'any')) },
      { weight: 3, arbitrary: fc.tuple(valid, fc.dictionary(anyString, anyString, { maxKeys: 4 })).filter(([, q]) => wellFormed(q))
        .map(([p, query]) => ({ ...p, query })).map(make('query on a probe', 'any')) },
      { weight: 2, arbitrary: fc.tuple(valid, anyString.filter((s) => s.length > 0 && s.length < 300 && s.isWellFormed()))
        .map(([p, s]) => ({ ...p, suffix: `/${encodeURIComponent(s)}` })).map(make('path suffix', 'reject')) },
    ];
  }
  const scopes = Object.keys(ctx.scoped) as (keyof FuzzContext['scoped'])[];
  const lacking = scopes.filter((s) => s !== spec.scope).map((s) => `Bearer ${ctx.scoped[s]}`);
  return [
    // Authentication runs before the body is read: whatever the body, a missing or bad key gets 401.
    { weight: 3, arbitrary: fc.tuple(valid, badAuth(ctx)).map(([p, auth]) => ({ ...p, auth })).map(make('authorization', 'unauthorized')) },
    // The scope is checked before the body is read too: whatever the body, a key without it gets 403.
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...lacking)).map(([p, auth]) => ({ ...p, auth })).map(make('scope', 'forbidden')) },
  ];
}

/** Every kind of malformed request for `spec`, each with what the answer must be, plus noise headers. */
export function requestsFor(spec: RouteSpec, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const [method, template] = spec.route.split(' ');
  const valid = validParts(spec);
  const make: Maker = (family, expect) => (parts) => toRequest(spec, parts, family, expect, ctx.key);
  const families: Family[] = [...queryFamilies(spec, valid, make), ...(method === 'POST' ? postFamilies(spec, valid, make) : []), ...accessFamilies(spec, valid, make, ctx)];
  for (const [name, param] of Object.entries(spec.path ?? {})) {
    families.push({ weight: 3, arbitrary: fc.tuple(valid, param.invalid).map(([p, v]) => ({ ...p, path: { ...p.path, [name]: v } })).map(make(`path ${name}`, 'reject')) });
  }
  for (const [name, values] of Object.entries(spec.headers ?? {})) {
    families.push({ weight: 2, arbitrary: fc.tuple(valid, values).map(([p, v]) => ({ ...p, headers: { [name]: v } })).map(make(`header ${name}`, 'reject')) });
  }
  const others = METHODS.filter((m) => !ctx.methods[template]?.includes(m.toLowerCase()));
  families.push({ weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...others)).map(([p, m]) => ({ ...p, method: m })).map(make('method', 'reject')) });
  if (spec.semantic) {
    families.push({ weight: 4, arbitrary: fc.tuple(valid, spec.semantic).map(([p, s]) => ({ ...p, ...s })).map(make('service rule', 'reject')) });
  }
  return fc.tuple(fc.oneof(...families), noise)
    .map(([r, extra]) => new FuzzRequest(r.family, r.method, r.url, { ...extra, ...r.headers }, r.payload, r.expect))
    .filter((r) => r.sendable());
}
