import { Migration } from '@mikro-orm/migrations';

// Monitors on pipeline runs (src/monitors/monitor.entity.ts, docs/monitors.md); a new, empty table.

export class Migration20261204150727_create_monitors extends Migration {

  override name = 'Migration20261204150727_create_monitors';

  override up(): void | Promise<void> {
    this.addSql(`create table "monitors" ("id" uuid not null, "name" text null, "pipeline_name" text not null, "kind" text not null, "severity" text not null, "params" jsonb not null, "resolve_after" smallint not null default 1, "enabled" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "disabled_at" timestamptz null, "created_by_key" uuid null, "deadline_occurrence" timestamptz null, "next_deadline_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "monitors_kind_deadline_idx" on "monitors" ("kind", "next_deadline_at") where enabled;`);
    this.addSql(`create index "monitors_pipeline_enabled_idx" on "monitors" ("pipeline_name") where enabled;`);
    this.addSql(`create unique index "monitors_name_enabled_key" on "monitors" ("name") where enabled and name is not null;`);

    this.addSql(`alter table "monitors" add constraint "monitors_disabled_at_iff_disabled" check ((disabled_at is null) = enabled);`);
    this.addSql(`alter table "monitors" add constraint "monitors_resolve_after_positive" check (resolve_after between 1 and 100);`);
    this.addSql(`alter table "monitors" add constraint "monitors_params_is_object" check (jsonb_typeof(params) = 'object');`);
    this.addSql(`alter table "monitors" add constraint "monitors_severity_known" check (severity in ('warning', 'critical'));`);
    this.addSql(`alter table "monitors" add constraint "monitors_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "monitors" cascade;`);
  }

}
