import { Migration } from '@mikro-orm/migrations';

/**
 * The primary key of idempotency_keys becomes (api_key_id, scope, key): its index is built concurrently,
 * then adopted by the constraint (a short ACCESS EXCLUSIVE lock, no build under it). Each step commits on
 * its own; a run that failed can run again (a half-built index from it is dropped first).
 *
 * `down` collapses the keys back to one per (scope, key): where several API keys used the same key on the
 * same route, the oldest row is kept (the one a global key would have kept) and the others are deleted, so
 * those clients lose their replay until the key expires. Nothing else is lost.
 */
export class Migration20261204120547_scope_idempotency_keys_per_api_key_online extends Migration {

  override name = 'Migration20261204120547_scope_idempotency_keys_per_api_key_online';

  override isTransactional(): boolean {
    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction
  }

  override up(): void | Promise<void> {
    this.addSql(`drop index concurrently if exists "idempotency_keys_api_key_scope_key_idx";`);
    this.addSql(`create unique index concurrently "idempotency_keys_api_key_scope_key_idx" on "idempotency_keys" ("api_key_id", "scope", "key");`);
    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_pkey", add constraint "idempotency_keys_pkey" primary key using index "idempotency_keys_api_key_scope_key_idx";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "idempotency_keys" a using "idempotency_keys" b where a."scope" = b."scope" and a."key" = b."key" and (b."created_at", b."api_key_id") < (a."created_at", a."api_key_id");`);
    this.addSql(`drop index concurrently if exists "idempotency_keys_scope_key_idx";`);
    this.addSql(`create unique index concurrently "idempotency_keys_scope_key_idx" on "idempotency_keys" ("scope", "key");`);
    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_pkey", add constraint "idempotency_keys_pkey" primary key using index "idempotency_keys_scope_key_idx";`);
  }

}
