import { Migration } from '@mikro-orm/migrations';

// The claims of periodic tasks, one row per task and completed slot (src/jobs/job-tick.entity.ts).

export class Migration20261204131529_create_job_ticks extends Migration {

  override name = 'Migration20261204131529_create_job_ticks';

  override up(): void | Promise<void> {
    this.addSql(`create table "job_ticks" ("task" text not null, "slot" timestamptz not null, "started_at" timestamptz not null, "completed_at" timestamptz null, primary key ("task", "slot"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "job_ticks" cascade;`);
  }

}
