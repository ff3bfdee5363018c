import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Limit, Nullable, StoredPipelineName, StringEnum } from '../../http/schemas.js';
import { DEFAULT_SCOPES } from '../monitor-default.entity.js';

const Scope = StringEnum(DEFAULT_SCOPES, { description: 'namespace: every pipeline named `<name>/…` (an OpenLineage namespace); pipeline: one pipeline.' });

export const SetMonitorDefaultDto = Type.Object(
  {
    scope: Scope,
    name: { ...StoredPipelineName, description: 'The namespace or the pipeline name.' },
    run_failed: Type.Boolean({ description: 'Whether the built-in run_failed monitor applies there.' }),
  },
  { additionalProperties: false, title: 'SetMonitorDefault' },
);
export type SetMonitorDefaultDto = Static<typeof SetMonitorDefaultDto>;

export const MonitorDefaultKey = Type.Object({ scope: Scope, name: StoredPipelineName }, { additionalProperties: false });
export type MonitorDefaultKey = Static<typeof MonitorDefaultKey>;

export const ListMonitorDefaultsQuery = Type.Object({ limit: Type.Optional(Limit(500, 100)), cursor: Type.Optional(Cursor) }, { additionalProperties: false });
export type ListMonitorDefaultsQuery = Static<typeof ListMonitorDefaultsQuery>;

export const EffectiveDefaultQuery = Type.Object({ pipeline_name: StoredPipelineName }, { additionalProperties: false });
export type EffectiveDefaultQuery = Static<typeof EffectiveDefaultQuery>;

export const MonitorDefaultResponse = Type.Object({ scope: Scope, name: Type.String(), run_failed: Type.Boolean(), updated_at: Type.String() }, { title: 'MonitorDefault' });
export type MonitorDefaultResponse = Static<typeof MonitorDefaultResponse>;

export const EffectiveDefaultResponse = Type.Object(
  {
    pipeline_name: Type.String(),
    run_failed: Type.Boolean({ description: 'Whether the built-in run_failed monitor applies to this pipeline\'s top-level runs.' }),
    decided_by: StringEnum(['own_monitor', 'pipeline', 'namespace', 'global'] as const),
    namespace: Nullable(Type.String(), { description: 'The namespace switch that decided, when decided_by is namespace.' }),
    monitor_id: Nullable(Type.String(), { description: 'The pipeline\'s own enabled run_failed monitor, when it has one.' }),
  },
  { title: 'EffectiveMonitorDefault' },
);
export type EffectiveDefaultResponse = Static<typeof EffectiveDefaultResponse>;
