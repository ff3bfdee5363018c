import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for
// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;
// every step but an ADD … USING INDEX can run again after a failed run.

export class Migration20261204151111_add_manage_scope_online extends Migration {

  override name = 'Migration20261204151111_add_manage_scope_online';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" validate constraint "api_keys_scopes_known";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint "api_keys_scopes_known";`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_scopes_known" check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'manage', 'admin']::text[]) not valid;`);
  }

}
