import { Migration } from '@mikro-orm/migrations';

export class Migration20261121140112_add_listing_indexes_and_idempotency_keys extends Migration {

  override name = 'Migration20261121140112_add_listing_indexes_and_idempotency_keys';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotency_keys" ("scope" text not null, "key" text not null, "request_hash" text not null, "response_status" int null, "response_body" jsonb null, "created_at" timestamptz not null default now(), primary key ("scope", "key"));`);
    this.addSql(`create index "idempotency_keys_created_idx" on "idempotency_keys" ("created_at");`);

    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "pipeline_executions_with_error_started_idx" on "pipeline_executions" ("started_at", "execution_id") where error_details is not null;`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "pipeline_executions_input_file_idx" on "pipeline_executions" ("input_file", "started_at", "execution_id");`);

    // migration-lint-disable drop-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`drop index "data_quality_metrics_series_idx";`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "data_quality_metrics_recorded_idx" on "data_quality_metrics" ("recorded_at", "metric_id");`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "data_quality_metrics_pipeline_recorded_idx" on "data_quality_metrics" ("pipeline_name", "recorded_at", "metric_id");`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC, "metric_id" DESC);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);

    this.addSql(`drop index "data_quality_metrics_recorded_idx";`);
    this.addSql(`drop index "data_quality_metrics_pipeline_recorded_idx";`);
    this.addSql(`drop index "data_quality_metrics_series_idx";`);
    this.addSql(`create index "data_quality_metrics_series_idx" on "data_quality_metrics" ("pipeline_name", "metric_type", "recorded_at" DESC);`);

    this.addSql(`drop index "pipeline_executions_with_error_started_idx";`);
    this.addSql(`drop index "pipeline_executions_input_file_idx";`);
  }

}
