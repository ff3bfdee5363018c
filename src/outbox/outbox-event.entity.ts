import { Check, Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A change announced to the world (docs/outbox.md), written in the same transaction as the change, so it
 * exists if and only if the change committed. The relay (issue 19) is the only reader that sets published_at.
 */
@Entity({ tableName: 'outbox_events' })
@Check({ name: 'outbox_events_payload_versioned', expression: `jsonb_typeof(payload) = 'object' and payload ? 'schema_version'` })
@Index({ name: 'outbox_events_unpublished_idx', properties: ['createdAt'], where: 'published_at is null' })
export class OutboxEvent {
  /** UUIDv7: ordered by creation. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** What changed: `incident`, later `execution`. */
  @Property({ type: 'text' })
  aggregateType!: string;

  @Property({ type: 'uuid' })
  aggregateId!: string;

  /** e.g. incident.opened (docs/outbox.md lists them). */
  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** The injected clock's time of the change. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt: Date | null = null;
}
