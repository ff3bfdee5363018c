import { Migration } from '@mikro-orm/migrations';

// GET /v1/executions?parent_execution_id=… : the child runs of a parent, in started_at order. Built
// concurrently: pipeline_executions is large and written all the time.

export class Migration20261122115753_index_executions_by_parent extends Migration {

  override name = 'Migration20261122115753_index_executions_by_parent';

  override isTransactional(): boolean {
    return false; // CREATE INDEX CONCURRENTLY cannot run inside a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`create index concurrently if not exists "pipeline_executions_parent_started_idx" on "pipeline_executions" ("parent_execution_id", "started_at", "execution_id") where parent_execution_id is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index concurrently if exists "pipeline_executions_parent_started_idx";`);
  }

}
