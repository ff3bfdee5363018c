import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Text } from '../../http/schemas.js';

export const PipelineLinkSchema = Type.Object(
  {
    title: Type.Optional(Text({ maxLength: 200 })),
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http or https URL.' }),
  },
  { additionalProperties: false },
);

const CronSchedule = Type.Object(
      {
        cron: Type.String({ minLength: 1, maxLength: 200, description: '5 fields: minute hour day-of-month month day-of-week.' }),
        timezone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Berlin or UTC.' }),
      },
      { additionalProperties: false },
    );
const EverySchedule = Type.Object(
      { every: Type.String({ minLength: 2, maxLength: 40, description: 'An ISO 8601 duration in days, hours, minutes, seconds: PT1H, P1D.' }) },
      { additionalProperties: false },
    );

export const PipelineScheduleSchema = Type.Union([CronSchedule, EverySchedule], { description: '{cron, timezone} or {every}.' });
const ScheduleOrNull = Type.Union([CronSchedule, EverySchedule, Type.Null()], { description: '{cron, timezone}, {every}, or null for none.' });

const Label = (description: string) => Nullable(Text({ maxLength: 200, notBlank: true }), { description });

/**
 * PUT /v1/pipelines/{name}: the whole metadata (HTTP PUT replaces it). A field left out is cleared (null,
 * or empty for tags and links); `archived` left out means not archived.
 */
export const PutPipelineDto = Type.Object(
  {
    description: Type.Optional(Nullable(Text({ maxLength: 4000 }))),
    owner: Type.Optional(Label('Who answers for it: a person or an alias.')),
    team: Type.Optional(Label('The team that owns it.')),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s\\u0000]+$' }), { maxItems: 50, uniqueItems: true, description: 'At most 50, no whitespace.' }),
    ),
    links: Type.Optional(Type.Array(PipelineLinkSchema, { maxItems: 20 })),
    schedule: Type.Optional(ScheduleOrNull),
    archived: Type.Optional(Type.Boolean({ description: 'true: leaves the default list and fires nothing. Default false.' })),
  },
  { additionalProperties: false, title: 'PutPipeline' },
);
export type PutPipelineDto = Static<typeof PutPipelineDto>;
