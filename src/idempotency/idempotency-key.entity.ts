import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** The API key of rows that belong to none: written before keys were scoped per API key (see the entity). */
export const NO_API_KEY = '00000000-0000-0000-0000-000000000000';

/**
 * A client's Idempotency-Key for one route, with a hash of the request body it came with and the response
 * it got. Claimed in the same transaction as the write it guards, so the key and the write commit together.
 * A key is scoped by the API key that sent it and the route: (api_key_id, scope, key) is the primary key.
 */
@Entity({ tableName: 'idempotency_keys' })
// Expiry sweeps delete by age.
@Index({ name: 'idempotency_keys_created_idx', properties: ['createdAt'] })
export class IdempotencyKey {
  /**
   * The API key that sent it: another client's same Idempotency-Key is another key. Not a foreign key: API
   * keys are revoked, never deleted, and a row lives 24 hours. Rows written before keys were scoped (or, during
   * a rolling deploy, by a replica of the previous release) have the nil UUID, which no API key has: they
   * are never replayed to anyone and expire.
   */
  @PrimaryKey({ type: 'uuid', defaultRaw: `'${NO_API_KEY}'` })
  apiKeyId!: string;

  /** The route, method and template, e.g. "POST /v1/metrics": the same key may be used on different routes. */
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
