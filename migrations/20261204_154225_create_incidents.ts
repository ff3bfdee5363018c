import { Migration } from '@mikro-orm/migrations';

// Incidents and their timeline (src/incidents/, docs/incidents.md); new, empty tables. monitor_id has no
// foreign key: default monitors have no row, and monitors are disabled, never deleted.

export class Migration20261204154225_create_incidents extends Migration {

  override name = 'Migration20261204154225_create_incidents';

  override up(): void | Promise<void> {
    this.addSql(`create table "incidents" ("incident_id" uuid not null, "dedupe_key" text not null, "monitor_id" uuid null, "pipeline_name" text not null, "kind" text not null, "severity" text not null, "status" text not null, "flapping" boolean not null default false, "snoozed_until" timestamptz null, "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, "occurrences" int not null default 1, "healthy_streak" int not null default 0, "resolve_after" smallint not null default 1, "reopen_count" int not null default 0, "resolved_at" timestamptz null, "acknowledged_by" uuid null, "acknowledged_at" timestamptz null, "evidence" jsonb not null, primary key ("incident_id"));`);
    this.addSql(`create index "incidents_resolved_dedupe_idx" on "incidents" ("dedupe_key", "resolved_at") where status = 'resolved';`);
    this.addSql(`create index "incidents_snoozed_until_idx" on "incidents" ("snoozed_until") where status = 'snoozed';`);
    this.addSql(`create index "incidents_pipeline_status_idx" on "incidents" ("pipeline_name", "status", "incident_id");`);
    this.addSql(`create index "incidents_status_list_idx" on "incidents" ("status", "incident_id");`);
    this.addSql(`create index "incidents_unresolved_list_idx" on "incidents" ("incident_id") where status <> 'resolved';`);
    this.addSql(`create unique index "incidents_open_dedupe" on "incidents" ("dedupe_key") where status <> 'resolved';`);

    this.addSql(`create table "incident_events" ("id" bigserial primary key, "incident_id" uuid not null, "at" timestamptz not null, "type" text not null, "actor_api_key_id" uuid null, "actor_user_id" uuid null, "details" jsonb not null default '{}');`);
    this.addSql(`create index "incident_events_timeline_idx" on "incident_events" ("incident_id", "at", "id");`);

    this.addSql(`alter table "incidents" add constraint "incidents_resolved_at_iff_resolved" check ((resolved_at is not null) = (status = 'resolved'));`);
    this.addSql(`alter table "incidents" add constraint "incidents_snoozed_until_iff_snoozed" check ((snoozed_until is not null) = (status = 'snoozed'));`);
    this.addSql(`alter table "incidents" add constraint "incidents_evidence_is_object" check (jsonb_typeof(evidence) = 'object');`);
    this.addSql(`alter table "incidents" add constraint "incidents_kind_known" check (kind in ('run_failed', 'freshness', 'duration', 'stalled'));`);
    this.addSql(`alter table "incidents" add constraint "incidents_severity_known" check (severity in ('warning', 'critical'));`);
    this.addSql(`alter table "incidents" add constraint "incidents_status_known" check (status in ('open', 'acknowledged', 'snoozed', 'resolved'));`);

    this.addSql(`alter table "incident_events" add constraint "incident_events_incident_id_foreign" foreign key ("incident_id") references "incidents" ("incident_id") on delete cascade;`);
    this.addSql(`alter table "incident_events" add constraint "incident_events_details_is_object" check (jsonb_typeof(details) = 'object');`);
    this.addSql(`alter table "incident_events" add constraint "incident_events_type_known" check (type in ('opened', 'refired', 'acknowledged', 'snoozed', 'snooze_expired', 'resolved', 'auto_resolved', 'reopened', 'flapping', 'severity_raised'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "incident_events" drop constraint "incident_events_incident_id_foreign";`);

    this.addSql(`drop table if exists "incidents" cascade;`);
    this.addSql(`drop table if exists "incident_events" cascade;`);
  }

}
