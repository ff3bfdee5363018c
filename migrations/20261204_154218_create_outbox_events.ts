import { Migration } from '@mikro-orm/migrations';

// The transactional outbox (src/outbox/outbox-event.entity.ts, docs/outbox.md); a new, empty table.

export class Migration20261204154218_create_outbox_events extends Migration {

  override name = 'Migration20261204154218_create_outbox_events';

  override up(): void | Promise<void> {
    this.addSql(`create table "outbox_events" ("id" uuid not null, "aggregate_type" text not null, "aggregate_id" uuid not null, "event_type" text not null, "payload" jsonb not null, "created_at" timestamptz not null, "published_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "outbox_events_unpublished_idx" on "outbox_events" ("created_at") where published_at is null;`);

    this.addSql(`alter table "outbox_events" add constraint "outbox_events_payload_versioned" check (jsonb_typeof(payload) = 'object' and payload ? 'schema_version');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "outbox_events" cascade;`);
  }

}
