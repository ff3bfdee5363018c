import { Type, type Static } from '@sinclair/typebox';
import { StoredPipelineName } from '../../http/schemas.js';
import { WINDOW_PATTERN } from '../../common/window.js';

export const PipelineQuery = Type.Object(
  {
    window: Type.Optional(
      Type.String({ pattern: WINDOW_PATTERN, default: '7d', description: 'Look-back window for counts, rate and durations: 30m, 24h, 7d (at most 366d). Default 7d.' }),
    ),
  },
  { additionalProperties: false },
);
export type PipelineQuery = Static<typeof PipelineQuery>;

export const PipelineParams = Type.Object({ pipeline_name: StoredPipelineName }, { additionalProperties: false });
export type PipelineParams = Static<typeof PipelineParams>;
