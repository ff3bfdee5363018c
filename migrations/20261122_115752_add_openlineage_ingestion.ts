import { Migration } from '@mikro-orm/migrations';

// OpenLineage ingestion (issue 7): the raw events, the parent run of an execution, and a history entry type
// for events that arrive after their run ended. The index on parent_execution_id and the validation of the
// widened CHECK are separate non-transactional migrations, so that neither holds a lock on a busy table.

export class Migration20261122115752_add_openlineage_ingestion extends Migration {

  override name = 'Migration20261122115752_add_openlineage_ingestion';

  override up(): void | Promise<void> {
    this.addSql(`create table "lineage_events" ("id" uuid not null, "event_hash" text not null, "received_at" timestamptz not null default now(), "event_time" timestamptz not null, "kind" text not null, "event_type" text null, "run_id" uuid null, "job_namespace" text null, "job_name" text null, "producer" text not null, "payload" jsonb not null, primary key ("id"));`);
    this.addSql(`alter table "lineage_events" add constraint "lineage_events_event_hash_unique" unique ("event_hash");`);
    this.addSql(`create index "lineage_events_run_received_idx" on "lineage_events" ("run_id", "received_at") where run_id is not null;`);
    this.addSql(`alter table "lineage_events" add constraint "lineage_events_payload_is_object" check (jsonb_typeof(payload) = 'object');`);
    this.addSql(`alter table "lineage_events" add constraint "lineage_events_run_id_iff_run" check ((kind = 'run') = (run_id is not null));`);
    this.addSql(`alter table "lineage_events" add constraint "lineage_events_event_type_known" check (event_type is null or event_type in ('START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'));`);
    this.addSql(`alter table "lineage_events" add constraint "lineage_events_kind_known" check (kind in ('run', 'job', 'dataset'));`);

    // Nullable, no default: existing rows are not rewritten.
    this.addSql(`alter table "pipeline_executions" add "parent_execution_id" uuid null;`);

    // A superset of the old rule, so every existing row satisfies it: added NOT VALID (a brief lock, new rows
    // checked at once) and validated by 20261122_115754_validate_execution_event_types.
    this.addSql(`alter table "pipeline_execution_events" drop constraint "pipeline_execution_events_type_known";`);
    this.addSql(`alter table "pipeline_execution_events" add constraint "pipeline_execution_events_type_known" check (type in ('create', 'start', 'progress', 'succeed', 'fail', 'cancel', 'late')) not valid;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "lineage_events" cascade;`);

    // Fails while 'late' entries exist: reverting must not silently delete history.
    this.addSql(`alter table "pipeline_execution_events" drop constraint "pipeline_execution_events_type_known";`);
    this.addSql(`alter table "pipeline_execution_events" add constraint "pipeline_execution_events_type_known" check (type in ('create', 'start', 'progress', 'succeed', 'fail', 'cancel'));`);

    this.addSql(`alter table "pipeline_executions" drop column "parent_execution_id";`);
  }

}
