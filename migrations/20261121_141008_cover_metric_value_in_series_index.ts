import { Migration } from '@mikro-orm/migrations';

export class Migration20261121141008_cover_metric_value_in_series_index extends Migration {

  override name = 'Migration20261121141008_cover_metric_value_in_series_index';

  override up(): void | Promise<void> {
    // migration-lint-disable drop-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`drop index "data_quality_metrics_series_idx";`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC, "metric_id" DESC) include ("metric_value");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "data_quality_metrics_series_idx";`);
    this.addSql(`create index "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC, "metric_id" DESC);`);
  }

}
