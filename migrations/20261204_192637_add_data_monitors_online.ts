import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for
// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;
// every step but an ADD … USING INDEX can run again after a failed run.

export class Migration20261204192637_add_data_monitors_online extends Migration {

  override name = 'Migration20261204192637_add_data_monitors_online';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`create index concurrently if not exists "monitors_dataset_enabled_idx" on "monitors" ("dataset_namespace", "dataset_name") where enabled and dataset_name is not null;`);
    this.addSql(`alter table "incidents" validate constraint "incidents_kind_known";`);
    this.addSql(`alter table "monitors" validate constraint "monitors_column_needs_dataset";`);
    this.addSql(`alter table "monitors" validate constraint "monitors_dataset_pair";`);
    this.addSql(`alter table "monitors" validate constraint "monitors_has_target";`);
    this.addSql(`alter table "monitors" validate constraint "monitors_run_kind_target";`);
    this.addSql(`alter table "monitors" validate constraint "monitors_kind_known";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "monitors" drop constraint "monitors_kind_known";`);
    this.addSql(`alter table "monitors" add constraint "monitors_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')) not valid;`);
    this.addSql(`alter table "monitors" drop constraint "monitors_run_kind_target";`);
    this.addSql(`alter table "monitors" add constraint "monitors_run_kind_target" check (kind in ('metric_threshold', 'test_failed', 'metric_anomaly') or (pipeline_name is not null and dataset_name is null)) not valid;`);
    this.addSql(`alter table "monitors" drop constraint "monitors_has_target";`);
    this.addSql(`alter table "monitors" add constraint "monitors_has_target" check (pipeline_name is not null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "monitors" drop constraint "monitors_dataset_pair";`);
    this.addSql(`alter table "monitors" add constraint "monitors_dataset_pair" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);
    this.addSql(`alter table "monitors" drop constraint "monitors_column_needs_dataset";`);
    this.addSql(`alter table "monitors" add constraint "monitors_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "incidents" drop constraint "incidents_kind_known";`);
    this.addSql(`alter table "incidents" add constraint "incidents_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')) not valid;`);
    this.addSql(`drop index concurrently if exists "monitors_dataset_enabled_idx";`);
  }

}
