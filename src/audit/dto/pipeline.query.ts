import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, StoredPipelineName, StringEnum, Text } from '../../http/schemas.js';
import { WINDOW_PATTERN } from '../../common/window.js';
import { PIPELINE_HEALTH } from '../pipeline-health.js';

const Window = Type.String({ pattern: WINDOW_PATTERN, default: '7d', description: 'Look-back window for counts, rate and durations: 30m, 24h, 7d (at most 366d). Default 7d.' });

export const PipelineQuery = Type.Object({ window: Type.Optional(Window) }, { additionalProperties: false });
export type PipelineQuery = Static<typeof PipelineQuery>;

export const ListPipelinesQuery = Type.Object(
  {
    window: Type.Optional(Window),
    health: Type.Optional(StringEnum(PIPELINE_HEALTH, { description: 'Only pipelines in this state (docs/pipelines.md).' })),
    owner: Type.Optional(Text({ maxLength: 200 })),
    team: Type.Optional(Text({ maxLength: 200 })),
    tag: Type.Optional(Text({ maxLength: 64 })),
    archived: Type.Optional(StringEnum(['false', 'true', 'all'] as const, { default: 'false', description: 'false (default): unarchived only; true: archived only; all.' })),
    q: Type.Optional(Text({ maxLength: 512, description: 'Names starting with this text (case-sensitive).' })),
    limit: Type.Optional(Limit(500, 50)),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListPipelinesQuery = Static<typeof ListPipelinesQuery>;

export const PipelineParams = Type.Object({ pipeline_name: StoredPipelineName }, { additionalProperties: false });
export type PipelineParams = Static<typeof PipelineParams>;
