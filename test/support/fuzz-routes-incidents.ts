import fc from 'fast-check';
import { NoQuery } from '../../src/http/schemas.js';
import { IncidentIdParams, ListIncidentsQuery, SnoozeDto } from '../../src/incidents/dto/incident.dto.js';
import { MONITOR_KINDS, SEVERITIES } from '../../src/incidents/incident-signal.js';
import { INCIDENT_STATUSES } from '../../src/incidents/incident-transitions.js';
import { cursorNearMiss, idNearMiss, listingCursor, numberish, pathParam, urnUuid } from './fuzz-params.js';
import type { RouteSpec } from './fuzz-requests.js';
import { anyString, nameNearMiss, pipelineName, timestampNearMiss, uuid } from './fuzz-values.js';

// Incidents: the listing, one incident, and the manual actions (no incident exists: every action is a 404).

const incidentId = pathParam(IncidentIdParams, 'incident_id', uuid, idNearMiss);
const unknown = fc.oneof(uuid, urnUuid).map((id) => ({ path: { incident_id: encodeURIComponent(id) } }));
const durationNearMiss = fc.oneof(fc.constantFrom('P1M', 'P1Y', 'P1W', 'PT0S', 'P', 'PT', '-PT1H', 'PT1h', '1h', 'P31D', 'P9999D', ''), anyString);
const snoozeBody = fc.oneof(
  fc.record({ for: fc.constantFrom('PT1H', 'PT15M', 'P1D', 'P1DT2H') }),
  fc.integer({ min: 2, max: 29 * 24 }).map((h) => ({ until: new Date(Date.now() + h * 3_600_000).toISOString() })),
);

const action = (name: string): RouteSpec => ({
  route: `POST /v1/incidents/{incident_id}/${name}`,
  scope: 'manage',
  path: { incident_id: incidentId },
  query: { schema: NoQuery, valid: fc.constant({}) },
  semantic: unknown,
});

export function incidentRoutes(): RouteSpec[] {
  return [
    {
      route: 'GET /v1/incidents',
      scope: 'read',
      query: {
        schema: ListIncidentsQuery,
        valid: fc.record(
          { status: fc.subarray([...INCIDENT_STATUSES], { minLength: 1 }), pipeline_name: pipelineName, severity: fc.constantFrom(...SEVERITIES),
            kind: fc.constantFrom(...MONITOR_KINDS), limit: fc.integer({ min: 1, max: 500 }).map(String) },
          { requiredKeys: [] },
        ),
        candidates: { status: fc.constantFrom('closed', 'Open', '', 'open,resolved', 'open '), pipeline_name: nameNearMiss, severity: fc.constantFrom('info', 'Critical', ''),
          kind: fc.constantFrom('run_succeeded', 'Freshness', ''), limit: numberish, cursor: cursorNearMiss },
      },
      // A cursor another listing issued.
      semantic: listingCursor('-started_at').map((cursor) => ({ query: { cursor } })),
    },
    { route: 'GET /v1/incidents/{incident_id}', scope: 'read', path: { incident_id: incidentId }, query: { schema: NoQuery, valid: fc.constant({}) }, semantic: unknown },
    action('acknowledge'),
    action('resolve'),
    action('reopen'),
    action('accept-baseline'),
    {
      ...action('snooze'),
      body: { schema: SnoozeDto, valid: snoozeBody, candidates: { for: durationNearMiss, until: timestampNearMiss } },
      semantic: fc.oneof(
        fc.tuple(unknown, snoozeBody).map(([p, body]) => ({ ...p, body })),
        // Valid by the schema, refused by the rules: both or neither field, a past or too distant time, calendar units.
        fc.tuple(unknown, fc.constantFrom({}, { for: 'PT1H', until: '2999-01-01T00:00:00Z' }, { until: '2001-01-01T00:00:00Z' }, { for: 'P1M' }, { for: 'P60D' }))
          .map(([p, body]) => ({ ...p, body })),
      ),
    },
  ];
}
