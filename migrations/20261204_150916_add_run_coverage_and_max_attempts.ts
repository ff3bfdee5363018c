import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md). This part runs in the run's transaction and holds no
// long lock on a table that has rows; the index builds and validations follow outside it, in
// 20261204_150917_add_run_coverage_and_max_attempts_online.

export class Migration20261204150916_add_run_coverage_and_max_attempts extends Migration {

  override name = 'Migration20261204150916_add_run_coverage_and_max_attempts';

  override up(): void | Promise<void> {
    this.addSql(`alter table "pipeline_executions" add "max_attempts" smallint null, add "nominal_time" timestamptz null;`);
    this.addSql(`alter table "pipeline_executions" add constraint "pipeline_executions_max_attempts_positive" check (max_attempts >= 1) not valid;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "pipeline_executions" drop constraint "pipeline_executions_max_attempts_positive";`);
    this.addSql(`alter table "pipeline_executions" drop column "max_attempts", drop column "nominal_time";`);
  }

}
