import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for
// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;
// every step but an ADD … USING INDEX can run again after a failed run.

export class Migration20261204152522_add_cron_unpositioned_index extends Migration {

  override name = 'Migration20261204152522_add_cron_unpositioned_index';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`create index concurrently if not exists "monitors_cron_unpositioned_idx" on "monitors" ("id") where enabled and kind = 'freshness' and next_deadline_at is null and params ? 'cron';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index concurrently if exists "monitors_cron_unpositioned_idx";`);
  }

}
