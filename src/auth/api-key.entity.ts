import { Check, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/**
 * ingest: report runs, metrics and lineage. read: read everything but keys. manage: configure pipelines and
 * monitors, and act on incidents (acknowledge, snooze, resolve, reopen). admin: manage API keys.
 */
export const API_KEY_SCOPES = ['ingest', 'read', 'manage', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * A client's API key. The secret is shown once, at creation, and only its SHA-256 is kept: a leaked
 * table gives no working key. `prefix` is the public part of the key, unique, by which a presented key is
 * found before its hash is compared.
 */
@Entity({ tableName: 'api_keys' })
@Unique({ name: 'api_keys_prefix_unique', properties: ['prefix'] })
@Check({ name: 'api_keys_name_not_blank', expression: `btrim(name) <> ''` })
@Check({ name: 'api_keys_scopes_known', expression: `cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'manage', 'admin']::text[]` })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  prefix!: string;

  /** Hex SHA-256 of the whole key: the key is 256 random bits, so a fast hash is enough (no password stretching). */
  @Property({ type: 'text' })
  hash!: string;

  @Property({ type: 'text[]', columnType: 'text[]' })
  scopes!: ApiKeyScope[];

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
