import { Check, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { uuidV7 } from '../database/uuid-v7.js';

export const EVENT_KINDS = ['run', 'job', 'dataset'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const OPENLINEAGE_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;
export type OpenLineageEventType = (typeof OPENLINEAGE_EVENT_TYPES)[number];

/**
 * One OpenLineage event exactly as a producer sent it, with the fields we index pulled out. Append-only:
 * the executions, history entries and metrics derived from it can be rebuilt from these rows alone
 * (`node dist/cli.js lineage replay`). The id is a UUIDv7 taken on receipt, so id order is arrival order.
 */
@Entity({ tableName: 'lineage_events' })
@Check({ name: 'lineage_events_kind_known', expression: `kind in ('run', 'job', 'dataset')` })
@Check({
  name: 'lineage_events_event_type_known',
  expression: `event_type is null or event_type in ('START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER')`,
})
@Check({ name: 'lineage_events_run_id_iff_run', expression: `(kind = 'run') = (run_id is not null)` })
@Check({ name: 'lineage_events_payload_is_object', expression: `jsonb_typeof(payload) = 'object'` })
// A run's raw events, in arrival order: what an operator reads to see what a producer actually sent.
@Index({ name: 'lineage_events_run_received_idx', properties: ['runId', 'receivedAt'], where: 'run_id is not null' })
export class LineageEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidV7();

  /** SHA-256 of the event as canonical JSON: the same event posted twice (a client's retry) is stored once. */
  @Property({ type: 'text' })
  @Unique({ name: 'lineage_events_event_hash_unique' })
  eventHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  /** eventTime, in UTC (a time without a zone is read as UTC; digits beyond microseconds are dropped). */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  eventTime!: Date;

  @Property({ type: 'text' })
  kind!: EventKind;

  /** null: a run event without eventType, or a job or dataset event. */
  @Property({ type: 'text', nullable: true })
  eventType: OpenLineageEventType | null = null;

  /** run.runId of a run event, in lower case: the execution_id it maps to. */
  @Property({ type: 'uuid', nullable: true })
  runId: string | null = null;

  @Property({ type: 'text', nullable: true })
  jobNamespace: string | null = null;

  @Property({ type: 'text', nullable: true })
  jobName: string | null = null;

  @Property({ type: 'text' })
  producer!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  payload!: Record<string, unknown>;
}
