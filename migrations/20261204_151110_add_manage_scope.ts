import { Migration } from '@mikro-orm/migrations';

// Generated in the safe form (see docs/migrations.md). This part runs in the run's transaction and holds no
// long lock on a table that has rows; the index builds and validations follow outside it, in
// 20261204_151111_add_manage_scope_online.

export class Migration20261204151110_add_manage_scope extends Migration {

  override name = 'Migration20261204151110_add_manage_scope';

  override up(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint "api_keys_scopes_known";`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_scopes_known" check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'manage', 'admin']::text[]) not valid;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "api_keys" drop constraint "api_keys_scopes_known";`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_scopes_known" check (cardinality(scopes) > 0 and scopes <@ array['ingest', 'read', 'admin']::text[]);`);
  }

}
