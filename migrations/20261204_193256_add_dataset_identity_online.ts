import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for
// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;
// every step but an ADD … USING INDEX can run again after a failed run.

export class Migration20261204193256_add_dataset_identity_online extends Migration {

  override name = 'Migration20261204193256_add_dataset_identity_online';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`create index concurrently if not exists "incidents_dataset_open_idx" on "incidents" ("dataset_namespace", "dataset_name") where status <> 'resolved' and dataset_name is not null;`);
    this.addSql(`create index concurrently if not exists "data_quality_metrics_dataset_series_idx" on "data_quality_metrics" ("dataset_namespace", "dataset_name", "column_name", "metric_type", "recorded_at" desc, "metric_id" desc) include ("metric_value") where dataset_name is not null;`);
    this.addSql(`create index concurrently if not exists "data_quality_metrics_pipeline_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" desc, "metric_id" desc) include ("metric_value") where dataset_name is null;`);
    // The new pipeline-level index first: the old one is dropped once queries have its replacement.
    this.addSql(`drop index concurrently if exists "data_quality_metrics_series_idx";`);
    this.addSql(`alter table "incidents" validate constraint "incidents_column_needs_dataset";`);
    this.addSql(`alter table "incidents" validate constraint "incidents_dataset_whole";`);
    this.addSql(`alter table "data_quality_metrics" validate constraint "data_quality_metrics_column_needs_dataset";`);
    this.addSql(`alter table "data_quality_metrics" validate constraint "data_quality_metrics_dataset_whole";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "data_quality_metrics" drop constraint "data_quality_metrics_dataset_whole";`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_dataset_whole" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);
    this.addSql(`alter table "data_quality_metrics" drop constraint "data_quality_metrics_column_needs_dataset";`);
    this.addSql(`alter table "data_quality_metrics" add constraint "data_quality_metrics_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`alter table "incidents" drop constraint "incidents_dataset_whole";`);
    this.addSql(`alter table "incidents" add constraint "incidents_dataset_whole" check ((dataset_namespace is null) = (dataset_name is null)) not valid;`);
    this.addSql(`alter table "incidents" drop constraint "incidents_column_needs_dataset";`);
    this.addSql(`alter table "incidents" add constraint "incidents_column_needs_dataset" check (column_name is null or dataset_name is not null) not valid;`);
    this.addSql(`drop index concurrently if exists "data_quality_metrics_dataset_series_idx";`);
    this.addSql(`drop index concurrently if exists "data_quality_metrics_pipeline_series_idx";`);
    this.addSql(`create index concurrently if not exists "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC, "metric_id" DESC) include ("metric_value");`);
    this.addSql(`drop index concurrently if exists "incidents_dataset_open_idx";`);
  }

}
