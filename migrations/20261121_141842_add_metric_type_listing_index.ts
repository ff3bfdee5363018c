import { Migration } from '@mikro-orm/migrations';

export class Migration20261121141842_add_metric_type_listing_index extends Migration {

  override name = 'Migration20261121141842_add_metric_type_listing_index';

  override up(): void | Promise<void> {
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "data_quality_metrics_type_recorded_idx" on "data_quality_metrics" ("metric_type", "recorded_at", "metric_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "data_quality_metrics_type_recorded_idx";`);
  }

}
