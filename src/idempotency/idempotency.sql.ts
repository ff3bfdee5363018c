import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { jsonb, prepared } from '../database/typed-sql.js';

/** How long a key is remembered. */
export const KEY_TTL = '24 hours';
const expired = sql<Date>`now() - ${sql.lit(KEY_TTL)}::interval`;

/** Whose key, on which route: the primary key (api_key_id, scope, key), so every statement below is one index probe. */
export interface KeyOf {
  apiKeyId: string;
  scope: string;
  key: string;
}

const thisKey = (p: KeyOf) => (eb: ExpressionBuilder<Database, 'idempotency_keys'>) =>
  eb.and([eb('api_key_id', '=', p.apiKeyId), eb('scope', '=', p.scope), eb('key', '=', p.key)]);

/** An expired key of this API key and scope is forgotten before it is claimed again. */
export const FORGET_EXPIRED_KEY = prepared((db, p: KeyOf) => db.deleteFrom('idempotency_keys').where(thisKey(p)).where('created_at', '<', expired));

/** Claims the key; returns no row when it is taken (a concurrent claim waits here until the first commits). */
export const CLAIM_KEY = prepared((db, p: KeyOf & { requestHash: string }) =>
  db
    .insertInto('idempotency_keys')
    .values({ api_key_id: p.apiKeyId, scope: p.scope, key: p.key, request_hash: p.requestHash })
    .onConflict((oc) => oc.doNothing())
    .returning('key'),
);

export const STORED_RESPONSE = prepared((db, p: KeyOf) =>
  db.selectFrom('idempotency_keys').select(['request_hash', 'response_status', 'response_body']).where(thisKey(p)),
);

/** `body` is the response's JSON text. */
export const STORE_RESPONSE = prepared((db, p: KeyOf & { status: number; body: string }) =>
  db
    .updateTable('idempotency_keys')
    .set({ response_status: p.status, response_body: jsonb<string>(p.body) })
    .where(thisKey(p)),
);

export const SWEEP_EXPIRED_KEYS = prepared((db) => db.deleteFrom('idempotency_keys').where('created_at', '<', expired).returning('key'));
