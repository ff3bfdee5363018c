import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 16 point 6: an Idempotency-Key belongs to the API key that sent it and to the route. The new primary
 * key (api_key_id, scope, key) is built concurrently and swapped in by the `_online` migration that follows.
 *
 * Existing rows cannot be attributed to a key (nothing recorded who sent them): they get the nil UUID, which
 * no API key has, so they are never replayed again and the sweep deletes them within 24 hours. A request
 * first sent before the deploy and retried after it runs again. The default also keeps replicas of the
 * previous release writing during a rolling deploy (their rows, too, belong to no key). Adding a column with
 * a constant default is a catalog change: no rewrite, no scan.
 */
export class Migration20261204120546_scope_idempotency_keys_per_api_key extends Migration {

  override name = 'Migration20261204120546_scope_idempotency_keys_per_api_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "idempotency_keys" add "api_key_id" uuid not null default '00000000-0000-0000-0000-000000000000';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "idempotency_keys" drop column "api_key_id";`);
  }

}
