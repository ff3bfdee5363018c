import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../http/schemas.js';
import { EVENT_KINDS, OPENLINEAGE_EVENT_TYPES } from '../lineage-event.entity.js';

export const BATCH_MAX_EVENTS = 1000;

// The body is checked against the OpenLineage schema by the service (a 2020-12 schema with facet schemas
// of its own); the route only insists on JSON of the right shape, and documents what it takes.
const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
export const OpenLineageEventBody = Type.Object(
  {},
  { additionalProperties: true, title: 'OpenLineageEvent', description: `An OpenLineage RunEvent, JobEvent or DatasetEvent (${SPEC}).` },
);

export const OpenLineageBatchBody = Type.Array(Type.Unknown(), {
  minItems: 1,
  title: 'OpenLineageEventBatch',
  description: `1 to ${BATCH_MAX_EVENTS} OpenLineage events, each accepted or refused on its own; more answers 413.`,
});

export const EFFECTS = ['applied', 'late', 'stored', 'duplicate'] as const;
export type Effect = (typeof EFFECTS)[number];

const EffectSchema = StringEnum(EFFECTS, {
  description:
    'applied: the run was created or moved; late: the run had already ended, so only its history records the event; ' +
    'stored: kept, changes no run (job and dataset events, OTHER, no eventType); duplicate: the same event was received before.',
});

export const LineageEventResponse = Type.Object(
  {
    event_id: Uuid,
    kind: StringEnum(EVENT_KINDS),
    event_type: Nullable(StringEnum(OPENLINEAGE_EVENT_TYPES)),
    run_id: Nullable(Uuid, { description: 'run.runId: the execution_id of the run it reports on.' }),
    event_time: Timestamp,
    received_at: Timestamp,
    effect: EffectSchema,
  },
  { additionalProperties: false, title: 'LineageEvent' },
);
export type LineageEventResponse = Static<typeof LineageEventResponse>;

const InvalidParam = Type.Object({ in: Type.String(), pointer: Type.String(), detail: Type.String() });

/** The OpenLineage batch response (spec/OpenLineage.yml, /lineage/batch), plus what became of each event. */
export const LineageBatchResponse = Type.Object(
  {
    status: StringEnum(['success', 'partial_success'] as const),
    summary: Type.Object({
      received: Type.Integer(),
      successful: Type.Integer({ description: 'Recorded now or before (duplicates).' }),
      failed: Type.Integer(),
      retriable: Type.Integer(),
      non_retriable: Type.Integer(),
      duplicates: Type.Integer(),
    }),
    failed_events: Type.Array(
      Type.Object({
        index: Type.Integer(),
        reason: Type.String(),
        retriable: Type.Boolean(),
        code: Type.Optional(
          Type.String({ description: 'Only for a valid event the recorded runs refuse: LINEAGE.RUN_BELONGS_TO_OTHER_PIPELINE or LINEAGE.PARENT_CYCLE.' }),
        ),
        errors: Type.Array(InvalidParam),
      }),
      { description: 'The events refused (invalid, or refused by the recorded runs), in request order: nothing of them was written.' },
    ),
    events: Type.Array(Type.Object({ index: Type.Integer(), event_id: Uuid, effect: EffectSchema }), { description: 'The valid events, in request order.' }),
  },
  { additionalProperties: false, title: 'LineageBatchResult' },
);
export type LineageBatchResponse = Static<typeof LineageBatchResponse>;
