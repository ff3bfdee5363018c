import { Migration } from '@mikro-orm/migrations';

// Validates the CHECK that 20261122_115752_add_openlineage_ingestion added NOT VALID. Non-transactional, so
// that the ADD's lock is released before this scan: VALIDATE holds only SHARE UPDATE EXCLUSIVE, which lets
// reads and writes through.

export class Migration20261122115754_validate_execution_event_types extends Migration {

  override name = 'Migration20261122115754_validate_execution_event_types';

  override isTransactional(): boolean {
    return false;
  }

  override up(): void | Promise<void> {
    this.addSql(`alter table "pipeline_execution_events" validate constraint "pipeline_execution_events_type_known";`);
  }

  override down(): void | Promise<void> {
    // Back to NOT VALID, as the previous migration left it; one statement, so it is atomic here too.
    this.addSql(`alter table "pipeline_execution_events" drop constraint "pipeline_execution_events_type_known", add constraint "pipeline_execution_events_type_known" check (type in ('create', 'start', 'progress', 'succeed', 'fail', 'cancel', 'late')) not valid;`);
  }

}
