import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidV7 } from '../database/uuid-v7.js';
import type { OutboxEntry } from './outbox-payloads.js';
import { APPEND_OUTBOX } from './outbox.sql.js';

/**
 * Writes outbox rows on the caller's transaction (`em`), so a row exists exactly when the change it
 * announces committed. Publishing is the relay's (issue 19), never a writer's.
 */
@Injectable()
export class OutboxService {
  async append(em: EntityManager, entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await APPEND_OUTBOX.run(em, {
      ids: entries.map(() => uuidV7()),
      aggregateTypes: entries.map((e) => e.aggregateType),
      aggregateIds: entries.map((e) => e.aggregateId),
      eventTypes: entries.map((e) => e.eventType),
      payloads: entries.map((e) => JSON.stringify(e.payload)),
      at: entries.map((e) => e.at.toISOString()),
    });
  }
}
