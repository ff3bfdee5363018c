import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { runSql } from '../database/sql.js';
import { IdempotencyKeyReusedError } from './idempotency.errors.js';

export const KEY_TTL = '24 hours';
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
   * Runs `work` at most once per (scope, key) within 24 hours. The key is claimed with an insert in the
   * same transaction as the work: a concurrent request with the same key waits on that insert until the
   * first commits, then finds the stored response. The same key with another body is refused (422).
   */
  async run<T>(scope: string, key: string, body: unknown, work: (em: EntityManager) => Promise<{ status: number; body: T }>): Promise<StoredResponse<T>> {
    const hash = requestHash(body);
    return this.em.transactional(async (tx) => {
      await runSql(tx, `delete from idempotency_keys where scope = ? and key = ? and created_at < now() - interval '${KEY_TTL}'`, [scope, key]);
      const claimed = await runSql(tx, `insert into idempotency_keys (scope, key, request_hash) values (?, ?, ?) on conflict do nothing returning key`, [scope, key, hash]);
      if (claimed.length === 0) {
        const [stored] = await runSql<{ request_hash: string; response_status: number; response_body: T }>(
          tx,
          `select request_hash, response_status, response_body from idempotency_keys where scope = ? and key = ?`,
          [scope, key],
        );
        if (stored.request_hash !== hash) throw new IdempotencyKeyReusedError();
        return { status: stored.response_status, body: stored.response_body, replayed: true };
      }
      const result = await work(tx);
      await runSql(tx, `update idempotency_keys set response_status = ?, response_body = ?::jsonb where scope = ? and key = ?`, [
        result.status,
        JSON.stringify(result.body),
        scope,
        key,
      ]);
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
      const rows = await runSql(this.em.fork(), `delete from idempotency_keys where created_at < now() - interval '${KEY_TTL}' returning key`);
      return rows.length;
    } catch (error) {
      this.logger.warn(`sweeping expired idempotency keys failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
