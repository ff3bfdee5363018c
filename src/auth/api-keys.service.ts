import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { uuidV7 } from '../database/uuid-v7.js';
import { prefixOf } from '../common/api-key-format.js';
import { generateKey, keyMatches } from './api-key-credentials.js';
import type { ApiKeyScope } from './api-key.entity.js';
import { ANY_KEY, INSERT_KEY, KEY_EXISTS, KEY_BY_PREFIX, LIST_KEYS, LOCK_KEYS, REVOKE_KEY, TOUCH_KEY } from './api-keys.sql.js';
import { ApiKeyNotFoundError, LastAdminKeyError } from './auth.errors.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Who made a request: the key's id (never the key) and what it may do. */
export interface Principal {
  id: string;
  scopes: ApiKeyScope[];
}

/** last_used_at is a hint for humans: written at most this often per key and process, not on every request. */
const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class ApiKeysService {
  private readonly touched = new Map<string, number>();

  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  /** Creates a key; the only time the key itself exists outside its holder's hands is this return value. */
  async create(name: string, scopes: ApiKeyScope[], em: EntityManager = this.em): Promise<{ key: string; info: ApiKeyInfo }> {
    const { key, prefix, hash } = generateKey();
    const [info] = await INSERT_KEY.run(em, { id: uuidV7(), name, prefix, hash, scopes: [...new Set(scopes)] });
    return { key, info };
  }

  list(): Promise<ApiKeyInfo[]> {
    return LIST_KEYS.run(this.em, {});
  }

  /** Revokes a key from the next request on; revoking it again keeps the first revocation time. */
  async revoke(id: string): Promise<ApiKeyInfo> {
    return this.em.fork().transactional(async (tx) => {
      await LOCK_KEYS.run(tx, {});
      const [info] = await REVOKE_KEY.run(tx, { id });
      if (info) return info;
      const [{ exists }] = await KEY_EXISTS.run(tx, { id });
      throw exists ? new LastAdminKeyError(id) : new ApiKeyNotFoundError(id);
    });
  }

  /** The principal of a presented key, or undefined for a malformed, unknown or revoked one. Read per request, so a revocation counts at once. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const prefix = prefixOf(key);
    if (!prefix) return undefined;
    const [row] = await KEY_BY_PREFIX.run(this.em, { prefix });
    if (!row || row.revoked || !keyMatches(key, row.hash)) return undefined;
    await this.touch(row.id);
    return { id: row.id, scopes: row.scopes };
  }

  /**
   * The first start of a service with no key at all creates one with every scope, so that the quickstart
   * is secure by default and still usable. Serialised across replicas. `deliver` runs before the key
   * commits: if it cannot hand the key over (an unwritable file), no key nobody knows is left behind.
   */
  async createFirstKeyIfNone(deliver: (key: string) => void): Promise<boolean> {
    return this.em.fork().transactional(async (tx) => {
      await LOCK_KEYS.run(tx, {});
      const [{ any }] = await ANY_KEY.run(tx, {});
      if (any) return false;
      deliver((await this.create('first admin key (created on first start)', ['admin', 'manage', 'ingest', 'read'], tx)).key);
      return true;
    });
  }

  private async touch(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(id, now);
    // A failure here must not fail the request it was for: the hint is simply not updated this time.
    await TOUCH_KEY.run(this.em, { id }).catch(() => undefined);
  }
}
