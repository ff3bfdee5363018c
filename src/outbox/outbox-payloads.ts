/** The payload schema's version (docs/outbox.md): bumped only for a change a consumer must know about. */
export const OUTBOX_SCHEMA_VERSION = 1;

/** Every payload carries its version; the rest depends on the event type (docs/outbox.md). */
export type OutboxPayload = { schema_version: typeof OUTBOX_SCHEMA_VERSION } & Record<string, unknown>;

/** One row to announce, in the transaction of the change it announces. */
export interface OutboxEntry {
  /** incident, or execution for run.failed. */
  aggregateType: 'incident' | 'execution';
  aggregateId: string;
  eventType: string;
  payload: OutboxPayload;
  /** The injected clock's time of the change. */
  at: Date;
}
