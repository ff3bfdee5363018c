import fc from 'fast-check';
import { isUuid } from '../../src/common/cursor.js';
import { NoQuery } from '../../src/http/schemas.js';
import { EffectiveDefaultQuery, MonitorDefaultKey, SetMonitorDefaultDto } from '../../src/monitors/dto/monitor-default.dto.js';
import { CreateMonitorDto, ListMonitorsQuery, MonitorIdParams, UpdateMonitorDto } from '../../src/monitors/dto/monitor.dto.js';
import { MONITOR_KINDS, SEVERITIES } from '../../src/incidents/incident-signal.js';
import { cursorNearMiss, forgedCursor, idNearMiss, numberish, pathParam, urnUuid } from './fuzz-params.js';
import type { RouteSpec } from './fuzz-requests.js';
import { anyJson, anyString, nameNearMiss, pipelineName, uuid } from './fuzz-values.js';

// Monitors and the default run_failed switches. Valid bodies here are ones the service refuses by its own
// rules (no fuzzed request may write), so they come from `semantic`.

const kind = fc.constantFrom(...MONITOR_KINDS);
const severity = fc.constantFrom(...SEVERITIES);
const monitorId = pathParam(MonitorIdParams, 'id', uuid, idNearMiss);
const noQuery = { schema: NoQuery, valid: fc.constant({}) };

/** Params each kind refuses: zero, negative or calendar durations, bad cron or zone, unknown keys, forms mixed. */
const badParams = fc.oneof(
  fc.constantFrom(
    { kind: 'run_failed', params: { max_age: 'PT1H' } },
    { kind: 'freshness', params: {} },
    { kind: 'freshness', params: { max_age: 'PT0S' } },
    { kind: 'freshness', params: { max_age: 'P1M' } },
    { kind: 'freshness', params: { max_age: 'PT1H', auto: true } },
    { kind: 'freshness', params: { cron: '61 * * * *', timezone: 'UTC' } },
    { kind: 'freshness', params: { cron: '0 6 * * *', timezone: 'Nowhere/Atlantis' } },
    { kind: 'freshness', params: { cron: '0 6 * * *', timezone: 'UTC', grace: '-PT1M' } },
    { kind: 'freshness', severity: 'critical', params: { auto: true } },
    { kind: 'duration', params: { factor: 1 } },
    { kind: 'duration', params: { factor: 2, runs: 2 } },
    { kind: 'stalled', params: { stall_after: 'PT10M' } }, // no pipeline here reports progress
    { kind: 'metric_threshold', params: { metric_type: 'row_count', min: 5, max: 1 } },
    { kind: 'metric_threshold', params: { metric_type: 'row_count', max: 1 } }, // no metric reported here
    { kind: 'metric_anomaly', params: { metric_type: 'row_count', seasonality: 'monthly' } },
    { kind: 'metric_anomaly', params: { metric_type: 'row_count', seasonality: 'day_of_week', training: 'P7D' } },
    { kind: 'test_failed', params: {}, column: 'id' }, // a column without its dataset
  ),
  fc.tuple(kind, anyJson).map(([k, params]) => ({ kind: k, params: { [k === 'run_failed' ? 'x' : 'unknown_key']: params } })),
);

export function monitorRoutes(): RouteSpec[] {
  const create = fc.record({ pipeline_name: pipelineName, kind, severity }, { requiredKeys: ['pipeline_name', 'kind'] });
  const setDefault = fc.record({ scope: fc.constantFrom('namespace' as const, 'pipeline' as const), name: pipelineName, run_failed: fc.boolean() });
  return [
    {
      route: 'POST /v1/monitors',
      scope: 'manage',
      query: noQuery,
      body: {
        schema: CreateMonitorDto,
        valid: create,
        candidates: { pipeline_name: nameNearMiss, kind: fc.oneof(anyString, fc.constantFrom('volume', 'RUN_FAILED')), severity: fc.constantFrom('page', 'info', ''),
          params: fc.oneof(anyJson, fc.constantFrom([], 'PT1H', null)), resolve_after: numberish, name: fc.constantFrom('', ' ', 'a\u0000') },
      },
      semantic: fc.tuple(pipelineName, badParams).map(([pipeline_name, bad]) => ({ body: { pipeline_name, ...bad } })),
    },
    {
      route: 'GET /v1/monitors',
      scope: 'read',
      query: {
        schema: ListMonitorsQuery,
        valid: fc.record({ pipeline_name: pipelineName, kind, enabled: fc.constantFrom('true', 'false'), limit: fc.integer({ min: 1, max: 500 }).map(String) }, { requiredKeys: [] }),
        candidates: { pipeline_name: nameNearMiss, kind: fc.constantFrom('volume', ''), enabled: fc.constantFrom('yes', '2', ''), limit: numberish, cursor: cursorNearMiss },
      },
      semantic: forgedCursor({ i: isUuid }, { i: fc.uuid() }).map((cursor) => ({ query: { cursor } })),
    },
    { route: 'GET /v1/monitors/{id}', scope: 'read', path: { id: monitorId }, query: noQuery, semantic: fc.oneof(uuid, urnUuid).map((id) => ({ path: { id: encodeURIComponent(id) } })) },
    {
      route: 'PATCH /v1/monitors/{id}',
      scope: 'manage',
      path: { id: monitorId },
      query: noQuery,
      body: {
        schema: UpdateMonitorDto,
        valid: fc.record({ severity, resolve_after: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: ['severity'] }),
        candidates: { severity: fc.constantFrom('page', ''), resolve_after: numberish, enabled: fc.constantFrom('true', 1, null), params: fc.constantFrom([], 'x') },
      },
      // No monitor has these ids: 404.
      semantic: uuid.map((id) => ({ path: { id: encodeURIComponent(id) }, body: { severity: 'warning' } })),
    },
    { route: 'DELETE /v1/monitors/{id}', scope: 'manage', path: { id: monitorId }, query: noQuery, semantic: uuid.map((id) => ({ path: { id: encodeURIComponent(id) } })) },
    {
      route: 'PUT /v1/monitor-defaults',
      scope: 'manage',
      query: noQuery,
      body: { schema: SetMonitorDefaultDto, valid: setDefault, candidates: { scope: fc.constantFrom('team', 'global', ''), name: nameNearMiss, run_failed: fc.constantFrom('false', 0, null) } },
      // Every valid body is a write: its refusals are the schema's, above; the semantic family sends a key without manage.
    },
    { route: 'GET /v1/monitor-defaults', scope: 'read', query: noQuery },
    {
      route: 'GET /v1/monitor-defaults/effective',
      scope: 'read',
      query: { schema: EffectiveDefaultQuery, valid: fc.record({ pipeline_name: pipelineName }), candidates: { pipeline_name: nameNearMiss } },
    },
    {
      route: 'DELETE /v1/monitor-defaults',
      scope: 'manage',
      query: {
        schema: MonitorDefaultKey,
        valid: fc.record({ scope: fc.constantFrom('namespace', 'pipeline'), name: pipelineName }),
        candidates: { scope: fc.constantFrom('team', ''), name: nameNearMiss },
      },
      // No switch is set: 404.
      semantic: fc.record({ scope: fc.constantFrom('namespace', 'pipeline'), name: pipelineName }).map((query) => ({ query })),
    },
  ];
}
