import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One completed slot of a periodic task (JobsService.every): the claim that makes its effect happen once
 * per slot. The job library delivers a tick at least once (two replicas may offer the same slot, a crashed
 * job is retried); the tick's transaction starts by inserting this row, so a second delivery finds the
 * slot taken and does nothing, and a rolled-back tick leaves no row, so its retry runs it. The newest row
 * of a task says when it last completed; rows older than a day are deleted by the task's own ticks.
 */
@Entity({ tableName: 'job_ticks' })
export class JobTick {
  /** The task's name, e.g. jobs.heartbeat. */
  @PrimaryKey({ type: 'text' })
  task!: string;

  /** The slot's start (a multiple of the interval since the epoch, UTC). */
  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;

  /** The injected clock's time when the slot was claimed. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt!: Date;

  /** The injected clock's time when the task's work was done, in the same transaction. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}
