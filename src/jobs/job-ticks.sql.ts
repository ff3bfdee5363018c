import { sql } from 'kysely';
import { prepared } from '../database/typed-sql.js';

/** How long a task's completed slots are kept (the claims a late redelivery could still need, and history). */
export const TICK_HISTORY = '1 day';

/**
 * Claims a slot of a task; no row when it is taken. A concurrent claim of the same slot waits here until
 * the first transaction ends: it then finds the row (no row returned) or, after a rollback, claims it.
 */
export const CLAIM_SLOT = prepared((db, p: { task: string; slot: Date; now: Date }) =>
  db
    .insertInto('job_ticks')
    .values({ task: p.task, slot: p.slot, started_at: p.now })
    .onConflict((oc) => oc.columns(['task', 'slot']).doNothing())
    .returning('slot'),
);

export const COMPLETE_SLOT = prepared((db, p: { task: string; slot: Date; now: Date }) =>
  db.updateTable('job_ticks').set({ completed_at: p.now }).where('task', '=', p.task).where('slot', '=', p.slot),
);

/** Slots of the task older than TICK_HISTORY before this one: a range of the primary key. */
export const FORGET_OLD_SLOTS = prepared((db, p: { task: string; slot: Date }) =>
  db
    .deleteFrom('job_ticks')
    .where('task', '=', p.task)
    .where('slot', '<', sql<Date>`${p.slot}::timestamptz - ${sql.lit(TICK_HISTORY)}::interval`),
);

/** The task's newest completed slot (readiness, metrics): one probe of the primary key, backwards. */
export const LAST_COMPLETED = prepared((db, p: { task: string }) =>
  db
    .selectFrom('job_ticks')
    .select(['slot', 'completed_at'])
    .where('task', '=', p.task)
    .where('completed_at', 'is not', null)
    .orderBy('slot', 'desc')
    .limit(1),
);
