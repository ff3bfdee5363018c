import { sql, type RawBuilder } from 'kysely';
import type { MonitorKind, Severity } from './incident-signal.js';
import type { IncidentStatus } from './incident-transitions.js';

/** An incident as the API and the outbox payloads show it: snake_case, timestamps as RFC 3339 (UTC, µs). */
export interface IncidentRow {
  incident_id: string;
  dedupe_key: string;
  monitor_id: string | null;
  pipeline_name: string;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column: string | null;
  kind: MonitorKind;
  severity: Severity;
  status: IncidentStatus;
  flapping: boolean;
  snoozed_until: string | null;
  first_seen_at: string;
  last_seen_at: string;
  occurrences: number;
  healthy_streak: number;
  resolve_after: number;
  reopen_count: number;
  resolved_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  evidence: Record<string, unknown>;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The expressions of IncidentRow over a relation `alias` that has the incidents' columns, with their names. */
function expressions(alias: string): [string, string][] {
  const a = (column: string) => `${alias}.${column}`;
  const plain = (...names: string[]) => names.map((name): [string, string] => [name, a(name)]);
  const time = (name: string): [string, string] => [name, iso(a(name))];
  return [
    ...plain('incident_id', 'dedupe_key', 'monitor_id', 'pipeline_name', 'dataset_namespace', 'dataset_name'),
    ['column', a('column_name')],
    ...plain('kind', 'severity', 'status', 'flapping'),
    time('snoozed_until'),
    time('first_seen_at'),
    time('last_seen_at'),
    ...plain('occurrences', 'healthy_streak', 'resolve_after', 'reopen_count'),
    time('resolved_at'),
    ...plain('acknowledged_by'),
    time('acknowledged_at'),
    ...plain('evidence'),
  ];
}

/** The select list of IncidentRow (a table or CTE `alias` with the incidents' columns), for raw statements. */
export function incidentColumns(alias: string): RawBuilder<unknown> {
  return sql.raw(expressions(alias).map(([name, expression]) => `${expression} as ${name}`).join(', '));
}

/** IncidentRow as one jsonb value, for typed queries: `.select(incidentObject('i').as('row'))`. */
export function incidentObject(alias: string): RawBuilder<IncidentRow> {
  return sql<IncidentRow>`jsonb_build_object(${sql.raw(expressions(alias).map(([name, expression]) => `'${name}', ${expression}`).join(', '))})`;
}
