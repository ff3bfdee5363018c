import { Migration } from '@mikro-orm/migrations';

export class Migration20261121132715_create_core_tables extends Migration {

  override name = 'Migration20261121132715_create_core_tables';

  override up(): void | Promise<void> {
    this.addSql(`create table "pipeline_executions" ("execution_id" uuid not null, "pipeline_name" text not null, "status" text not null default 'running', "started_at" timestamptz not null, "completed_at" timestamptz null, "input_file" text null, "row_counts" jsonb not null default '{}', "error_details" text null, "attempt" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("execution_id"));`);
    this.addSql(`create index "pipeline_executions_active_status_started_idx" on "pipeline_executions" ("status", "started_at") where status in ('pending', 'running');`);
    this.addSql(`create index "pipeline_executions_pipeline_started_idx" on "pipeline_executions" ("pipeline_name", "started_at", "execution_id");`);

    this.addSql(`create table "data_quality_metrics" ("metric_id" uuid not null, "pipeline_name" text not null, "metric_type" text not null, "metric_value" double precision not null, "recorded_at" timestamptz not null, "metadata" jsonb not null default '{}', "execution_id" uuid null, "created_at" timestamptz not null default now(), primary key ("metric_id"));`);
    this.addSql(`create index "data_quality_metrics_execution_id_idx" on "data_quality_metrics" ("execution_id");`);
    this.addSql(`create index "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC);`);

    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_attempt_positive" check (attempt >= 1);`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_row_counts_is_object" check (jsonb_typeof(row_counts) = 'object');`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_pipeline_name_not_blank" check (btrim(pipeline_name) <> '');`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_completed_after_started" check (completed_at >= started_at);`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_completed_at_iff_terminal" check ((status in ('pending', 'running')) = (completed_at is null));`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_status_check" check ("status" in ('pending', 'running', 'succeeded', 'failed', 'cancelled'));`);
    this.addSql(`create or replace function "pipeline_executions_pipeline_executions_touch_updated_at_fn"() returns trigger as \$\$ begin NEW.updated_at = now(); RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "pipeline_executions_touch_updated_at" BEFORE UPDATE on "pipeline_executions" for each ROW execute function "pipeline_executions_pipeline_executions_touch_updated_at_fn"();`);

    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_execution_id_foreign" foreign key ("execution_id") references "pipeline_executions" ("execution_id") on delete set null;`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_metadata_is_object" check (jsonb_typeof(metadata) = 'object');`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_metric_type_not_blank" check (btrim(metric_type) <> '');`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_pipeline_name_not_blank" check (btrim(pipeline_name) <> '');`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_value_finite" check (metric_value > '-Infinity'::float8 and metric_value < 'Infinity'::float8);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "data_quality_metrics" drop constraint "data_quality_metrics_execution_id_foreign";`);

    this.addSql(`drop trigger if exists "pipeline_executions_touch_updated_at" on "pipeline_executions";`);
    this.addSql(`drop function if exists "pipeline_executions_pipeline_executions_touch_updated_at_fn"();`);
    this.addSql(`drop table if exists "pipeline_executions" cascade;`);
    this.addSql(`drop table if exists "data_quality_metrics" cascade;`);
  }

}
