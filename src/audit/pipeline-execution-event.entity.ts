import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { uuidV7 } from '../database/uuid-v7.js';
import { PipelineExecution } from './pipeline-execution.entity.js';

// `late`: a reported event (OpenLineage) that arrived after the run had ended; kept, but it changed no status.
export const EVENT_TYPES = ['create', 'start', 'progress', 'succeed', 'fail', 'cancel', 'late'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One accepted change of an execution (its creation included), written in the same statement as the change. */
@Entity({ tableName: 'pipeline_execution_events' })
@Check({
  name: 'pipeline_execution_events_type_known',
  expression: `type in ('create', 'start', 'progress', 'succeed', 'fail', 'cancel', 'late')`,
})
@Check({ name: 'pipeline_execution_events_payload_is_object', expression: `jsonb_typeof(payload) = 'object'` })
// An execution's history, oldest first, and its keyset pages; also the foreign key's index.
@Index({ name: 'pipeline_execution_events_history_idx', properties: ['execution', 'occurredAt', 'id'] })
export class PipelineExecutionEvent {
  @PrimaryKey({ type: 'uuid', fieldName: 'event_id' })
  id: string = uuidV7();

  @ManyToOne({ entity: () => PipelineExecution, fieldName: 'execution_id', deleteRule: 'cascade' })
  execution!: PipelineExecution;

  @Property({ type: 'text' })
  type!: EventType;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  occurredAt: Date = new Date();

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'` })
  payload: Record<string, unknown> = {};
}
