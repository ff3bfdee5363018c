import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, Nullable, StoredPipelineName, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { MONITOR_KINDS, SEVERITIES } from '../incident-signal.js';
import { INCIDENT_STATUSES, TIMELINE_TYPES } from '../incident-transitions.js';

export const IncidentIdParams = Type.Object({ incident_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export type IncidentIdParams = Static<typeof IncidentIdParams>;

export const ListIncidentsQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Array(StringEnum(INCIDENT_STATUSES), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description: 'Repeat for several. Default: the unresolved ones (open, acknowledged, snoozed).',
      }),
    ),
    pipeline_name: Type.Optional(StoredPipelineName),
    severity: Type.Optional(StringEnum(SEVERITIES)),
    kind: Type.Optional(StringEnum(MONITOR_KINDS)),
    limit: Type.Optional(Limit(500, 50)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListIncidentsQuery = Static<typeof ListIncidentsQuery>;

const When = (description: string) => Nullable(Type.String(), { description });

export const IncidentResponse = Type.Object({
  incident_id: Uuid,
  dedupe_key: Type.String({ description: 'monitor id (or default:kind) and subject: one unresolved incident per key.' }),
  monitor_id: Nullable(Type.String(), { description: 'null for a default monitor.' }),
  pipeline_name: Type.String({ description: 'The pipeline of the problem (data monitors: the pipeline that reported the data).' }),
  dataset_namespace: Nullable(Type.String(), { description: 'Data monitors: the dataset of the series (null for run monitors and pipeline-level series).' }),
  dataset_name: Nullable(Type.String()),
  column: Nullable(Type.String()),
  kind: StringEnum(MONITOR_KINDS),
  severity: StringEnum(SEVERITIES),
  status: StringEnum(INCIDENT_STATUSES),
  flapping: Type.Boolean(),
  snoozed_until: When('Set while snoozed.'),
  first_seen_at: Type.String(),
  last_seen_at: Type.String(),
  occurrences: Type.Integer(),
  healthy_streak: Type.Integer(),
  resolve_after: Type.Integer(),
  reopen_count: Type.Integer(),
  resolved_at: When('Set while resolved.'),
  acknowledged_by: Nullable(Type.String(), { description: 'The API key that acknowledged it.' }),
  acknowledged_at: When('When it was acknowledged.'),
  evidence: Type.Record(Type.String(), Type.Unknown()),
});
export type IncidentResponse = Static<typeof IncidentResponse>;

export const TimelineEntry = Type.Object({
  id: Type.String({ description: 'Increasing within the database.' }),
  at: Type.String(),
  type: StringEnum(TIMELINE_TYPES),
  actor_api_key_id: Nullable(Type.String(), { description: 'The API key of a manual action; null when a monitor did it.' }),
  actor_user_id: Nullable(Type.String(), { description: 'Reserved for console users.' }),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const IncidentDetailResponse = Type.Intersect([IncidentResponse, Type.Object({ timeline: Type.Array(TimelineEntry) })]);
export type IncidentDetailResponse = Static<typeof IncidentDetailResponse>;

export const SnoozeDto = Type.Object(
  {
    until: Type.Optional({ ...Timestamp, description: 'Snooze until this time (after now, at most 30 days ahead).' }),
    for: Type.Optional(Type.String({ maxLength: 40, description: 'Or for this ISO 8601 duration, e.g. PT4H (at most P30D).' })),
  },
  { additionalProperties: false },
);
export type SnoozeDto = Static<typeof SnoozeDto>;

export const NoBody = Type.Object({}, { additionalProperties: false });
