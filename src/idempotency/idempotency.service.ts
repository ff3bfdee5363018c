import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { IdempotencyScope } from './idempotency-scope.decorator.js';
import { IdempotencyKeyReusedError } from './idempotency.errors.js';
import { CLAIM_KEY, FORGET_EXPIRED_KEY, STORE_RESPONSE, STORED_RESPONSE, SWEEP_EXPIRED_KEYS } from './idempotency.sql.js';

const SWEEP_EVERY_MS = 10 * 60_000;

export interface StoredResponse<T> {
  status: number;
  body: T;
  /** true when this is the stored answer to an earlier identical request. */
  replayed: boolean;
}

/** JSON with sorted keys: the same body hashes the same whatever the client's key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

@Injectable()
export class IdempotencyService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper?: NodeJS.Timeout;

  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  /**
   * Runs `work` at most once per (API key, route, key) within 24 hours: another API key's same key, or the
   * same key on another route, is another key. The key is claimed with an insert in the same transaction as
   * the work: a concurrent request with the same key waits on that insert until the first commits, then
   * finds the stored response. The same key with another body is refused (422).
   */
  async run<T>(scope: IdempotencyScope, body: unknown, work: (em: EntityManager) => Promise<{ status: number; body: T }>): Promise<StoredResponse<T>> {
    const hash = requestHash(body);
    const key = { apiKeyId: scope.apiKeyId, scope: scope.route, key: scope.key };
    return this.em.transactional(async (tx) => {
      await FORGET_EXPIRED_KEY.run(tx, key);
      const claimed = await CLAIM_KEY.run(tx, { ...key, requestHash: hash });
      if (claimed.length === 0) {
        const [stored] = await STORED_RESPONSE.run(tx, key);
        if (stored.request_hash !== hash) throw new IdempotencyKeyReusedError();
        return { status: stored.response_status as number, body: stored.response_body as T, replayed: true };
      }
      const result = await work(tx);
      await STORE_RESPONSE.run(tx, { ...key, status: result.status, body: JSON.stringify(result.body) });
      return { ...result, replayed: false };
    });
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Deletes expired keys; any replica may do it, and an expired key is also ignored when reused. */
  async sweep(): Promise<number> {
    try {
      const rows = await SWEEP_EXPIRED_KEYS.run(this.em.fork(), {});
      return rows.length;
    } catch (error) {
      this.logger.warn(`sweeping expired idempotency keys failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
