import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

// Shared JSON Schema pieces (TypeBox: each is both a JSON Schema for validation and OpenAPI, and a
// TypeScript type). Field names on the wire are snake_case throughout.

/** A string enum as `{type: string, enum}`, which gives one clear validation error instead of anyOf noise. */
export function StringEnum<T extends string>(values: readonly T[], options: object = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/**
 * `schema` or null, as `type: [<its type>, "null"]` (OpenAPI 3.1 / JSON Schema) rather than anyOf: the
 * same values are valid, but Fastify's response serializer handles a type list with a typeof check,
 * whereas for anyOf it runs a compiled validator on every value to pick the branch (measured on the
 * listing, docs/benchmarks.md). An enum gets null added to its values.
 */
export function Nullable<T extends TSchema>(schema: T, options: object = {}): TUnsafe<Static<T> | null> {
  const plain = Object.fromEntries(Object.entries(schema)) as { type?: unknown; enum?: unknown[] };
  if (typeof plain.type !== 'string') throw new Error('Nullable() takes a schema with a single type');
  const nullable = { ...plain, ...options, type: [plain.type, 'null'], ...(plain.enum ? { enum: [...plain.enum, null] } : {}) };
  return Type.Unsafe<Static<T> | null>(nullable);
}

export const Uuid = Type.String({ format: 'uuid', description: 'A UUID (any version; ids we generate are UUIDv7).' });

/**
 * RFC 3339 with a mandatory offset (Z or ±hh:mm); naive timestamps are rejected. Years 1900 to 2999, so
 * that every accepted value is also a valid timestamp in UTC (9999-12-31T23:59-01:00 would be year
 * 10000); at most microseconds, as PostgreSQL stores; no leap second (JavaScript and PostgreSQL cannot
 * represent 23:59:60). Echoed with microseconds, in UTC.
 */
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$',
  maxLength: 40,
  description: 'RFC 3339 timestamp with an offset, years 1900-2999, e.g. 2026-11-21T13:27:20.012Z',
});

const NO_NUL = '^[^\\u0000]*$';
/** Not only whitespace, and no NUL. */
const NOT_BLANK = '^\\s*[^\\s\\u0000][^\\u0000]*$';

/** Free text PostgreSQL can store: any characters but NUL; with `notBlank`, not only whitespace either. */
export const Text = ({ notBlank, ...options }: { minLength?: number; maxLength: number; description?: string; notBlank?: boolean }) =>
  Type.String({ minLength: 1, ...options, pattern: notBlank ? NOT_BLANK : NO_NUL });

/** No query parameters at all: unknown ones are rejected on every route, not only on listings. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

export const PipelineName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$',
  description: 'Letters, digits and _ . : / -, starting with a letter or digit; at most 200 characters.',
  example: 'orders_daily_etl',
});

/** The longest pipeline name the ledger holds: OpenLineage ones are "namespace/job name" (see docs/openlineage.md). */
export const PIPELINE_NAME_MAX_LENGTH = 512;

/**
 * Any pipeline name the ledger may hold, for filters, path parameters and responses: the REST API's
 * (PipelineName) and OpenLineage's "namespace/job name", which may hold spaces and any Unicode. Not blank,
 * no NUL. Names are compared exactly as stored (no case folding, no Unicode normalisation).
 */
export const StoredPipelineName = Type.String({
  minLength: 1,
  maxLength: PIPELINE_NAME_MAX_LENGTH,
  pattern: NOT_BLANK,
  description: `A pipeline name as recorded: any characters but NUL, not blank, at most ${PIPELINE_NAME_MAX_LENGTH}; e.g. orders_daily_etl or airflow/orders_dag.load 🕷`,
  example: 'orders_daily_etl',
});

const RowCount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const RowCounts = Type.Unsafe<Record<string, number>>({
  type: 'object',
  propertyNames: { minLength: 1, maxLength: 200, pattern: '^[^\\u0000]*$' },
  additionalProperties: RowCount,
  maxProperties: 100,
  description: 'Named non-negative row counts, at most 100 per request, e.g. {"read": 1200, "written": 1180}.',
});

/** Row counts as stored: the merge of every request's, so without the per-request bound. */
export const StoredRowCounts = Type.Record(Type.String(), RowCount, { description: 'Every count reported for the run, merged.' });

export const Limit = (max: number, fallback: number) =>
  Type.Integer({ minimum: 1, maximum: max, default: fallback, description: `Page size, 1 to ${max} (default ${fallback}).` });

export const Cursor = Type.String({ minLength: 1, maxLength: 1000, description: 'next_cursor from the previous page.' });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    next_cursor: Nullable(Type.String(), { description: 'Pass as cursor for the next page; null on the last page.' }),
  });

const InvalidParam = Type.Object({
  in: StringEnum(['body', 'query', 'path', 'header']),
  pointer: Type.String({ description: 'JSON pointer to the offending value, e.g. /row_counts/read' }),
  detail: Type.String(),
});

/** RFC 9457 problem details, as every error response of this API is shaped. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.Optional(Type.String({ description: 'Stable machine-readable reason, e.g. AUDIT.ILLEGAL_TRANSITION' })),
    errors: Type.Optional(Type.Array(InvalidParam, { description: 'Each invalid input, for 400 responses' })),
    request_id: Type.Optional(Type.String({ description: 'The X-Request-Id of the request: quote it to find its log lines' })),
  },
  { additionalProperties: true, title: 'Problem' },
);

/** A response documented (and serialized) as application/problem+json. */
export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

/** The error responses every /v1 route can give, on top of its own. */
export const COMMON_PROBLEMS = {
  400: problemResponse('Invalid input: unknown fields or parameters, wrong types, bad formats. `errors` lists each.'),
  401: problemResponse('No API key, or not a valid one (unknown, malformed or revoked). Send Authorization: Bearer <key>.'),
  403: problemResponse('The API key lacks the scope this route needs (required_scope says which).'),
  429: problemResponse("Over the key's rate limit; retry after the Retry-After delay."),
  500: problemResponse('Unexpected failure; the body carries no internals.'),
  503: problemResponse('The database is unavailable; retry after the Retry-After delay.'),
};

/** What routes with a JSON body can add: the body is too large or not JSON. */
export const BODY_PROBLEMS = {
  413: problemResponse('The body is larger than the limit (once decompressed, if sent with Content-Encoding).'),
  415: problemResponse('The body is not application/json, its charset is not UTF-8, or its Content-Encoding is not gzip, deflate or br.'),
};
