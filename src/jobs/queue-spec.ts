import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A queue and how its jobs are retried: the one place that states a queue's schedule. pg-boss retries a job
 * whose handler threw or that ran past `expireInSeconds`, `retryLimit` more times, `retryDelaySeconds`
 * apart (doubling, with jitter, when `retryBackoff`).
 */
export interface QueueSpec {
  name: string;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  /** How long finished jobs stay queryable in pgboss.job. */
  keepFinishedSeconds: number;
}

/** What a queued job's handler gets: its data, and which attempt this is (0 for the first). */
export interface JobContext {
  id: string;
  retryCount: number;
}

export type JobHandler<T extends object> = (data: T, job: JobContext) => Promise<void>;

/** One slot of a periodic task, run inside the transaction that claimed it: `em` is that transaction. */
export interface Tick {
  task: string;
  slot: Date;
  /** The injected clock's time when the tick started. */
  now: Date;
  em: EntityManager;
}

export type TickHandler = (tick: Tick) => Promise<void>;

/** A periodic task's queue: a crashed or failed tick is tried twice more, a second apart; finished ticks are kept an hour. */
export function tickQueue(task: string, intervalMs: number): QueueSpec {
  return {
    name: task,
    retryLimit: 2,
    retryDelaySeconds: 1,
    retryBackoff: false,
    expireInSeconds: Math.max(30, Math.ceil((2 * intervalMs) / 1000)),
    keepFinishedSeconds: 3_600,
  };
}
