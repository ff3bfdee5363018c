import { Migration } from '@mikro-orm/migrations';

// The registry of pipelines (docs/pipelines.md). The data step fills it from the existing executions with one
// plain INSERT … SELECT: one pass over pipeline_executions (a hash aggregate by pipeline_name), acceptable for
// the table sizes deployed today and, since the table is new, it holds no lock another statement waits for
// except the read of pipeline_executions. A table of hundreds of millions of runs would want it batched by
// pipeline_name ranges instead; runs inserted while it runs create their own pipeline rows (on conflict do
// nothing), so the step does not need to block writers.

export class Migration20261204151924_create_pipelines extends Migration {

  override name = 'Migration20261204151924_create_pipelines';

  override up(): void | Promise<void> {
    this.addSql(`create table "pipelines" ("name" text not null, "description" text null, "owner" text null, "team" text null, "tags" text[] not null default '{}', "links" jsonb not null default '[]', "schedule_cron" text null, "schedule_timezone" text null, "schedule_every" interval null, "archived_at" timestamptz null, "first_seen_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("name"));`);
    this.addSql(`create index "pipelines_name_pattern_idx" on "pipelines" ("name" text_pattern_ops);`);
    this.addSql(`create index "pipelines_active_name_idx" on "pipelines" ("name") where archived_at is null;`);
    this.addSql(`create index "pipelines_tags_idx" on "pipelines" using gin ("tags");`);
    this.addSql(`create index "pipelines_team_name_idx" on "pipelines" ("team", "name");`);
    this.addSql(`create index "pipelines_owner_name_idx" on "pipelines" ("owner", "name");`);

    this.addSql(`alter table "pipelines" add constraint "pipelines_every_positive" check (schedule_every > interval '0');`);
    this.addSql(`alter table "pipelines" add constraint "pipelines_one_schedule" check (schedule_cron is null or schedule_every is null);`);
    this.addSql(`alter table "pipelines" add constraint "pipelines_cron_has_timezone" check ((schedule_cron is null) = (schedule_timezone is null));`);
    this.addSql(`alter table "pipelines" add constraint "pipelines_links_is_array" check (jsonb_typeof(links) = 'array');`);
    this.addSql(`alter table "pipelines" add constraint "pipelines_name_not_blank" check (btrim(name) <> '');`);
    this.addSql(`create or replace function "pipelines_pipelines_touch_updated_at_fn"() returns trigger as \$\$ begin NEW.updated_at = now(); RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "pipelines_touch_updated_at" BEFORE UPDATE on "pipelines" for each ROW execute function "pipelines_pipelines_touch_updated_at_fn"();`);
    this.addSql(`insert into "pipelines" ("name", "first_seen_at") select "pipeline_name", min("created_at") from "pipeline_executions" group by "pipeline_name" on conflict do nothing;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "pipelines_touch_updated_at" on "pipelines";`);
    this.addSql(`drop function if exists "pipelines_pipelines_touch_updated_at_fn"();`);
    this.addSql(`drop table if exists "pipelines" cascade;`);
  }

}
