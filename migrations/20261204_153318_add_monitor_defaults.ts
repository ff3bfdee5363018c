import { Migration } from '@mikro-orm/migrations';

export class Migration20261204153318_add_monitor_defaults extends Migration {

  override name = 'Migration20261204153318_add_monitor_defaults';

  override up(): void | Promise<void> {
    this.addSql(`create table "monitor_defaults" ("scope" text not null, "name" text not null, "run_failed_enabled" boolean not null, "updated_at" timestamptz not null default now(), "updated_by_key" uuid null, primary key ("scope", "name"));`);

    this.addSql(`alter table "monitor_defaults" add constraint "monitor_defaults_scope_known" check (scope in ('namespace', 'pipeline'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "monitor_defaults" cascade;`);
  }

}
