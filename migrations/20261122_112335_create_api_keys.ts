import { Migration } from '@mikro-orm/migrations';

export class Migration20261122112335_create_api_keys extends Migration {

  override name = 'Migration20261122112335_create_api_keys';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_keys" ("id" uuid not null, "name" text not null, "prefix" text not null, "hash" text not null, "scopes" text[] not null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_prefix_unique" unique ("prefix");`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_scopes_known" check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'admin']::text[]);`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_name_not_blank" check (btrim(name) <> '');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "api_keys";`);
  }

}
