import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for
// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;
// every step but an ADD … USING INDEX can run again after a failed run.

export class Migration20261204150917_add_run_coverage_and_max_attempts_online extends Migration {

  override name = 'Migration20261204150917_add_run_coverage_and_max_attempts_online';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`create index concurrently if not exists "pipeline_executions_succeeded_covered_idx" on "pipeline_executions" ("pipeline_name", (coalesce("nominal_time", "started_at")) desc) where status = 'succeeded';`);
    this.addSql(`alter table "pipeline_executions" validate constraint "pipeline_executions_max_attempts_positive";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "pipeline_executions" drop constraint "pipeline_executions_max_attempts_positive";`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_max_attempts_positive" check (max_attempts >= 1) not valid;`);
    this.addSql(`drop index concurrently if exists "pipeline_executions_succeeded_covered_idx";`);
  }

}
