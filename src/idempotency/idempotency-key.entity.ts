import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A client's Idempotency-Key for one route, with a hash of the request body it came with and the response
 * it got. Claimed in the same transaction as the write it guards, so the key and the write commit together.
 */
@Entity({ tableName: 'idempotency_keys' })
// Expiry sweeps delete by age.
@Index({ name: 'idempotency_keys_created_idx', properties: ['createdAt'] })
export class IdempotencyKey {
  /** The route, e.g. "POST /v1/metrics": the same key may be used on different routes. */
  @PrimaryKey({ type: 'text' })
  scope!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null = null;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  responseBody: unknown = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
