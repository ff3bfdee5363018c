import fc from 'fast-check';
import { API_KEY_SCOPES } from '../../src/auth/api-key.entity.js';
import { ApiKeyIdParams, CreateApiKeyDto } from '../../src/auth/dto/api-key.dto.js';
import { NoQuery } from '../../src/http/schemas.js';
import { idNearMiss, pathParam, urnUuid, type Fixtures } from './fuzz-params.js';
import type { RouteSpec } from './fuzz-requests.js';
import { auditRoutes } from './fuzz-routes-audit.js';
import { lineageRoutes } from './fuzz-routes-lineage.js';
import { monitorRoutes } from './fuzz-routes-monitors.js';
import { qualityRoutes } from './fuzz-routes-quality.js';
import { incidentRoutes } from './fuzz-routes-incidents.js';
import { anyJson, anyString, uuid } from './fuzz-values.js';

// One RouteSpec per route of the OpenAPI document; the suite fails for a documented route missing here.

const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).filter((s) => !s.includes('\u0000'));
const keyId = pathParam(ApiKeyIdParams, 'id', uuid, idNearMiss);

function keyRoutes(): RouteSpec[] {
  return [
    {
      route: 'POST /v1/api-keys',
      scope: 'admin',
      query: { schema: NoQuery, valid: fc.constant({}) },
      body: {
        schema: CreateApiKeyDto,
        valid: fc.record({ name, scopes: fc.shuffledSubarray([...API_KEY_SCOPES], { minLength: 1 }) }),
        candidates: {
          name: fc.oneof(fc.constantFrom('', 'a\u0000b'), fc.integer({ min: 201, max: 3000 }).map((n) => 'n'.repeat(n))),
          scopes: fc.oneof(fc.constantFrom([], ['root'], ['read', 'read'], ['read', 'ingest', 'admin', 'read'], 'read', ['READ'], [null]), fc.array(anyString, { maxLength: 4 }), anyJson),
        },
      },
    },
    { route: 'GET /v1/api-keys', scope: 'admin', query: { schema: NoQuery, valid: fc.constant({}) } },
    {
      route: 'POST /v1/api-keys/{id}/revoke',
      scope: 'admin',
      path: { id: keyId },
      query: { schema: NoQuery, valid: fc.constant({}) },
      // Ids no key has: 404, and nothing is revoked.
      semantic: fc.oneof(uuid, urnUuid).map((id) => ({ path: { id: encodeURIComponent(id) } })),
    },
  ];
}

/** The probes take no input and no key: only unknown methods and paths are refused; the rest must not fail. */
const healthRoutes = (): RouteSpec[] => [
  { route: 'GET /health/live', scope: 'public' },
  { route: 'GET /health/ready', scope: 'public' },
];

export function routeSpecs(fx: Fixtures): RouteSpec[] {
  return [...auditRoutes(fx), ...qualityRoutes(fx), ...lineageRoutes(), ...monitorRoutes(), ...incidentRoutes(), ...keyRoutes(), ...healthRoutes()];
}
