import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { ErrorObject } from 'ajv';

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * A validator compiled on its first call rather than when Fastify registers the route: compiling every
 * route's schemas up front is a fifth of the CPU a start costs (docs/benchmarks.md, cold-start), and
 * routes nobody calls need none. Fastify reads `errors` off the function it was given, so they are copied.
 * A schema the compiler refuses surfaces on its route's first request instead of at boot (the e2e suites
 * call every route, so it fails CI).
 */
export function compiledOnFirstUse(compile: () => Validate): Validate {
  let compiled: Validate | undefined;
  const validate: Validate = (data) => {
    compiled ??= compile();
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null;
  return validate;
}

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's own response serializers (fast-json-stringify), each built on the first response of its
 * route and status instead of at start-up: Fastify builds one per route, status and content type, the
 * problem+json schemas of every route included, most of which a given process never sends.
 */
export function serializersOnFirstUse(): { buildSerializer: SerializerFactory } {
  const build = SerializerSelector();
  return {
    buildSerializer: (externalSchemas, options) => {
      const compile = build(externalSchemas, options);
      return (route) => {
        let serialize: ((data: unknown) => string) | undefined;
        return (data: unknown) => (serialize ??= compile(route))(data);
      };
    },
  };
}
