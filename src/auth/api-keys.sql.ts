import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, prepared } from '../database/typed-sql.js';
import type { ApiKeyScope } from './api-key.entity.js';

/** What a key is, as the API and the CLI show it (timestamps as RFC 3339 text): never the hash. */
const info = (eb: ExpressionBuilder<Database, 'api_keys'>) => [
  'id' as const,
  'name' as const,
  'prefix' as const,
  'scopes' as const,
  isoText(eb.ref('created_at')).as('created_at'),
  isoText<null>(eb.ref('last_used_at')).as('last_used_at'),
  isoText<null>(eb.ref('revoked_at')).as('revoked_at'),
];

export const INSERT_KEY = prepared((db, p: { id: string; name: string; prefix: string; hash: string; scopes: ApiKeyScope[] }) =>
  db.insertInto('api_keys').values({ id: p.id, name: p.name, prefix: p.prefix, hash: p.hash, scopes: p.scopes }).returning(info),
);

export const LIST_KEYS = prepared((db) => db.selectFrom('api_keys').select(info).orderBy('created_at').orderBy('id'));

const isActiveAdmin = sql<boolean>`revoked_at is null and ${sql.lit('admin')} = any(scopes)`;

/**
 * Revoking again keeps the first revocation time. Never revokes the last active admin key (no row comes
 * back then): nobody could manage keys any more and a restart does not create a new one. Run it under
 * LOCK_KEYS so that two revocations of the last two admin keys cannot both see the other one as active.
 */
export const REVOKE_KEY = prepared((db, p: { id: string }) =>
  db
    .updateTable('api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', sql<Date>`now()`) }))
    .where('id', '=', p.id)
    .where((eb) =>
      eb.or([
        eb.not(isActiveAdmin),
        eb.exists(db.selectFrom('api_keys as other').select(sql.lit(1).as('one')).where('other.id', '!=', p.id).where(sql<boolean>`other.revoked_at is null and ${sql.lit('admin')} = any(other.scopes)`)),
      ]),
    )
    .returning(info),
);

export const KEY_EXISTS = prepared((db, p: { id: string }) => db.selectNoFrom((eb) => eb.exists(db.selectFrom('api_keys').select(sql.lit(1).as('one')).where('id', '=', p.id)).as('exists')));

/** A presented key's row, by its public prefix (unique): read per request, so a revocation counts at once. */
export const KEY_BY_PREFIX = prepared((db, p: { prefix: string }) =>
  db.selectFrom('api_keys').select((eb) => ['id', 'hash', 'scopes', eb('revoked_at', 'is not', null).as('revoked')]).where('prefix', '=', p.prefix),
);

export const TOUCH_KEY = prepared((db, p: { id: string }) => db.updateTable('api_keys').set({ last_used_at: sql<Date>`now()` }).where('id', '=', p.id));

/** Serialises the creation of the first key and the revocation of keys across replicas: any constant they all agree on. */
export const LOCK_KEYS = prepared((db) => db.selectNoFrom(sql<void>`pg_advisory_xact_lock(${sql.lit(0x706c5f6b6579)})`.as('locked')));

export const ANY_KEY = prepared((db) => db.selectNoFrom((eb) => eb.exists(db.selectFrom('api_keys').select(sql.lit(1).as('one'))).as('any')));

/** Whether the keys' table exists yet (with MIGRATIONS_ON_BOOT=off it may not). */
export const KEYS_TABLE_EXISTS = prepared((db) =>
  db.selectNoFrom(sql<boolean>`to_regclass(${sql.lit('api_keys' satisfies keyof Database)}) is not null`.as('exists')),
);
