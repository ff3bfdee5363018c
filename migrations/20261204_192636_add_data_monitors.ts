import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md). This part runs in the run's transaction and holds no
// long lock on a table that has rows; the index builds and validations follow outside it, in
// 20261204_192637_add_data_monitors_online.

export class Migration20261204192636_add_data_monitors extends Migration {

  override name = 'Migration20261204192636_add_data_monitors';

  override up(): void | Promise<void> {
    this.addSql(`create table "monitor_series_state" ("monitor_id" uuid not null, "series_id" uuid not null, "judged_recorded_at" timestamptz not null, "judged_metric_id" uuid not null, "judged_at" timestamptz not null, "verdict" jsonb not null, "baseline_from" timestamptz null, "excluded_metric_ids" uuid[] not null default '{}', primary key ("monitor_id", "series_id"));`);
    this.addSql(`create index "monitor_series_state_recent_idx" on "monitor_series_state" ("monitor_id", "judged_recorded_at");`);

    this.addSql(`alter table "incidents" drop constraint "incidents_kind_known";`);
    this.addSql(`alter table "incidents" add constraint "incidents_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')) not valid;`);

    this.addSql(`alter table "monitors" drop constraint "monitors_kind_known";`);
    this.addSql(`alter table "monitors" add "dataset_namespace" text null, add "dataset_name" text null, add "column_name" text null;`);
    this.addSql(`alter table "monitors" alter column "pipeline_name" drop not null;`);
    this.addSql(`alter table "monitors" add constraint "monitors_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "monitors" add constraint "monitors_dataset_pair" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);
    this.addSql(`alter table "monitors" add constraint "monitors_has_target" check (pipeline_name is not null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "monitors" add constraint "monitors_run_kind_target" check (kind in ('metric_threshold', 'test_failed', 'metric_anomaly') or (pipeline_name is not null and dataset_name is null)) not valid;`);
    this.addSql(`alter table "monitors" add constraint "monitors_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')) not valid;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "monitor_series_state" cascade;`);

    this.addSql(`alter table "incidents" drop constraint "incidents_kind_known";`);
    this.addSql(`alter table "incidents" add constraint "incidents_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled'));`);

    this.addSql(`alter table "monitors" drop constraint "monitors_column_needs_dataset";`);
    this.addSql(`alter table "monitors" drop constraint "monitors_dataset_pair";`);
    this.addSql(`alter table "monitors" drop constraint "monitors_has_target";`);
    this.addSql(`alter table "monitors" drop constraint "monitors_run_kind_target";`);
    this.addSql(`alter table "monitors" drop constraint "monitors_kind_known";`);
    this.addSql(`alter table "monitors" drop column "dataset_namespace", drop column "dataset_name", drop column "column_name";`);
    this.addSql(`alter table "monitors" alter column "pipeline_name" set not null;`);
    this.addSql(`alter table "monitors" add constraint "monitors_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled'));`);
  }

}
