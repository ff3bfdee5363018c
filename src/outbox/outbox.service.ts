import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidV7 } from '../database/uuid-v7.js';
import type { OutboxEntry } from './outbox-payloads.js';
import { APPEND_OUTBOX, type OutboxRecord } from './outbox.sql.js';

/**
 * Writes outbox rows on the caller's transaction (`em`), so a row exists exactly when the change it
 * announces committed. Publishing is the relay's (issue 19), never a writer's.
 */
@Injectable()
export class OutboxService {
  async append(em: EntityManager, entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: OutboxRecord[] = entries.map((e) => ({
      id: uuidV7(),
      aggregate_type: e.aggregateType,
      aggregate_id: e.aggregateId,
      event_type: e.eventType,
      payload: e.payload,
      created_at: e.at.toISOString(),
    }));
    await APPEND_OUTBOX.run(em, { rows: JSON.stringify(rows) });
  }
}
