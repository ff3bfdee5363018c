import { Migration } from '@mikro-orm/migrations';

export class Migration20261121134343_add_execution_events_and_listing_indexes extends Migration {

  override name = 'Migration20261121134343_add_execution_events_and_listing_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create table "pipeline_execution_events" ("event_id" uuid not null, "execution_id" uuid not null, "type" text not null, "occurred_at" timestamptz not null default now(), "payload" jsonb not null default '{}', primary key ("event_id"));`);
    this.addSql(`create index "pipeline_execution_events_history_idx" on "pipeline_execution_events" ("execution_id", "occurred_at", "event_id");`);

    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "pipeline_executions_status_started_idx" on "pipeline_executions" ("status", "started_at", "execution_id");`);
    // migration-lint-disable create-index-not-concurrently -- shipped in 0.1.0 before the lint, on a table still empty then; an applied migration is never rewritten
    this.addSql(`create index "pipeline_executions_started_idx" on "pipeline_executions" ("started_at", "execution_id");`);

    this.addSql(`alter table "pipeline_execution_events" add constraint "pipeline_execution_events_execution_id_foreign" foreign key ("execution_id") references "pipeline_executions" ("execution_id") on delete cascade;`);
    this.addSql(`alter table "pipeline_execution_events" add constraint "pipeline_execution_events_payload_is_object" check (jsonb_typeof(payload) = 'object');`);
    this.addSql(`alter table "pipeline_execution_events" add constraint "pipeline_execution_events_type_known" check (type in ('create', 'start', 'progress', 'succeed', 'fail', 'cancel'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pipeline_execution_events" cascade;`);

    this.addSql(`drop index "pipeline_executions_status_started_idx";`);
    this.addSql(`drop index "pipeline_executions_started_idx";`);
  }

}
