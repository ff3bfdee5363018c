import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { compiledOnFirstUse } from './lazy-compile.js';

// Two validators: bodies are JSON and must already have the right types ("5" is not a number), while
// query strings and path parameters are text, so their values are coerced (and a lone ?status=x becomes
// an array). Neither removes unknown fields: `additionalProperties: false` rejects them.
const common: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: true, strictTypes: false, strictRequired: false };

/** An AJV compiling the app's schemas as the app does; the fuzz suite uses the same to judge its requests. */
export function buildAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  // "full" date-time requires an offset or Z: naive timestamps are rejected, as RFC 3339 demands.
  addFormats.default(ajv, { mode: 'full', formats: ['date-time', 'uuid', 'uri'] });
  ajv.addKeyword('example');
  return ajv;
}

const bodyAjv = buildAjv({ coerceTypes: false });
const paramsAjv = buildAjv({ coerceTypes: 'array' });

const pointer = (key: string) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** Values coerced to Infinity or -Infinity ("Infinity", "1e400"), as AJV errors. */
function nonFinite(data: unknown): ErrorObject[] {
  if (data === null || typeof data !== 'object') return [];
  return Object.entries(data)
    .flatMap(([key, value]) => (Array.isArray(value) ? value.map((v, i) => [`${pointer(key)}/${i}`, v] as const) : [[pointer(key), value] as const]))
    .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
    .map(([instancePath]) => ({ instancePath, schemaPath: '#/type', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }));
}

/**
 * AJV coerces "Infinity" and "1e400" in text to Infinity, and then skips minimum and maximum, which only
 * look at finite numbers: ?limit=Infinity would pass `maximum: 500`. Such values are refused here.
 */
function finiteOnly(validate: ValidateFunction) {
  const check = (data: unknown): boolean => {
    const valid = validate(data);
    const infinite = nonFinite(data);
    check.errors = [...(validate.errors ?? []), ...infinite];
    return valid && infinite.length === 0;
  };
  check.errors = null as ErrorObject[] | null;
  return check;
}

/** Installs the validators on Fastify; route schemas (see @RouteSchema) are compiled on first use. */
export function configureValidation(fastify: FastifyInstance): void {
  fastify.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    compiledOnFirstUse(() => (httpPart === 'body' ? bodyAjv.compile(schema as object) : finiteOnly(paramsAjv.compile(schema as object)))),
  );
}
