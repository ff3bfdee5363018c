import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

// Two validators: bodies are JSON and must already have the right types ("5" is not a number), while
// query strings and path parameters are text, so their values are coerced (and a lone ?status=x becomes
// an array). Neither removes unknown fields: `additionalProperties: false` rejects them.
const common: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: true, strictTypes: false, strictRequired: false };

function build(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  // "full" date-time requires an offset or Z: naive timestamps are rejected, as RFC 3339 demands.
  addFormats.default(ajv, { mode: 'full', formats: ['date-time', 'uuid', 'uri'] });
  ajv.addKeyword('example');
  return ajv;
}

const bodyAjv = build({ coerceTypes: false });
const paramsAjv = build({ coerceTypes: 'array' });

/** Installs the validators on Fastify; route schemas (see @RouteSchema) are compiled once at startup. */
export function configureValidation(fastify: FastifyInstance): void {
  fastify.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? bodyAjv : paramsAjv).compile(schema as object),
  );
}
