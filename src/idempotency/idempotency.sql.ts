import { sql } from 'kysely';
import { jsonb, prepared } from '../database/typed-sql.js';

/** How long a key is remembered. */
export const KEY_TTL = '24 hours';
const expired = sql<Date>`now() - ${sql.lit(KEY_TTL)}::interval`;

/** An expired key of this scope is forgotten before it is claimed again. */
export const FORGET_EXPIRED_KEY = prepared((db, p: { scope: string; key: string }) =>
  db.deleteFrom('idempotency_keys').where('scope', '=', p.scope).where('key', '=', p.key).where('created_at', '<', expired),
);

/** Claims the key; returns no row when it is taken (a concurrent claim waits here until the first commits). */
export const CLAIM_KEY = prepared((db, p: { scope: string; key: string; requestHash: string }) =>
  db.insertInto('idempotency_keys').values({ scope: p.scope, key: p.key, request_hash: p.requestHash }).onConflict((oc) => oc.doNothing()).returning('key'),
);

export const STORED_RESPONSE = prepared((db, p: { scope: string; key: string }) =>
  db.selectFrom('idempotency_keys').select(['request_hash', 'response_status', 'response_body']).where('scope', '=', p.scope).where('key', '=', p.key),
);

/** `body` is the response's JSON text. */
export const STORE_RESPONSE = prepared((db, p: { scope: string; key: string; status: number; body: string }) =>
  db
    .updateTable('idempotency_keys')
    .set({ response_status: p.status, response_body: jsonb<string>(p.body) })
    .where('scope', '=', p.scope)
    .where('key', '=', p.key),
);

export const SWEEP_EXPIRED_KEYS = prepared((db) => db.deleteFrom('idempotency_keys').where('created_at', '<', expired).returning('key'));
