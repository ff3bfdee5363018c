import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifySchema } from 'fastify';
import { accessLookup } from './route-access.js';
import type { Access } from '../auth/access.decorator.js';

/**
 * The security requirement of a route: `bearer` with the scope its @RequireScope names; none for a
 * @Public() route.
 */
function withSecurity(schema: FastifySchema, access: Access | undefined): FastifySchema {
  if (access === undefined || access === 'public') return schema;
  return { ...schema, security: [{ bearer: [access] }] } as FastifySchema;
}

/**
 * The OpenAPI 3.1 document is generated from the route schemas, the same JSON Schemas Fastify validates
 * requests and serializes responses with, so it cannot drift from what the API does. Registered before
 * Nest adds its routes, so that every route is seen.
 */
export async function registerOpenApi(app: NestFastifyApplication, version: string): Promise<void> {
  // Read on the document's first build, once Nest has registered every controller.
  const accessOf = accessLookup(app);
  await app.register(fastifySwagger, {
    transform: ({ schema, url, route }) => {
      const methods = ([] as string[]).concat(route.method);
      return { schema: withSecurity(schema, methods.map((method) => accessOf(method, url)).find(Boolean)), url };
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pipeline Ledger',
        version,
        description:
          'Audit log of data pipeline runs and their data quality metrics. Field names are snake_case; ' +
          'timestamps are RFC 3339 with an offset on input and UTC with microseconds on output; every error ' +
          'is application/problem+json (RFC 9457).',
      },
      tags: [
        { name: 'executions', description: 'Pipeline runs and their lifecycle' },
        { name: 'pipelines', description: 'Per-pipeline health' },
        { name: 'metrics', description: 'Data quality metrics: ingestion, listing and trends' },
        { name: 'datasets', description: 'The datasets metrics name, their latest metrics and open incidents' },
        { name: 'openlineage', description: 'OpenLineage events from Airflow, dbt, Spark and any OpenLineage client' },
        { name: 'health', description: 'Probes' },
      ],
      components: {
        securitySchemes: {
          // Each operation's requirement names the key scope it needs (admin, manage, ingest or read).
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key, `Authorization: Bearer pl_<prefix>_<secret>`; never in the URL.' },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
}
