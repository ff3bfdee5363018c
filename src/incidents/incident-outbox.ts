import { OUTBOX_SCHEMA_VERSION, type OutboxEntry } from '../outbox/outbox-payloads.js';
import type { IncidentRow } from './incident-columns.js';
import type { IncidentOutboxType } from './incident-transitions.js';

/**
 * The outbox row announcing an incident change (docs/outbox.md): the incident as it is after the change,
 * who did it (null: a monitor) and when.
 */
export function incidentOutbox(eventType: IncidentOutboxType, incident: IncidentRow, at: Date, actorApiKeyId: string | null = null): OutboxEntry {
  return {
    aggregateType: 'incident',
    aggregateId: incident.incident_id,
    eventType,
    at,
    payload: { schema_version: OUTBOX_SCHEMA_VERSION, event_type: eventType, occurred_at: at.toISOString(), actor_api_key_id: actorApiKeyId, incident },
  };
}
