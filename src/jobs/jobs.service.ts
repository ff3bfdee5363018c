import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { PgBoss, SendOptions } from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { bossOptions } from './boss-options.js';
import { CLOCK, type Clock } from './clock.js';
import { JobsSchemaDeniedError, JobsSchemaMismatchError } from './jobs.errors.js';
import { CLAIM_SLOT, COMPLETE_SLOT, FORGET_OLD_SLOTS } from './job-ticks.sql.js';
import { jobSchemaState } from './pgboss.sql.js';
import { PGBOSS_SCHEMA_VERSION } from './pgboss-schema.js';
import { tickQueue, type JobHandler, type QueueSpec, type TickHandler } from './queue-spec.js';
import { singletonSecondsOf } from './slot.js';
import { TickOffers } from './tick-offers.js';

const REPEAT_WINDOW_MS = 60_000;

type Registered = { spec: QueueSpec; handler: JobHandler<object> };

/**
 * The job library (pg-boss) for every feature: `register` a queue and its handler, `send` jobs to it, and
 * `every` for periodic tasks that run once per slot across all replicas. Features register in their
 * onModuleInit; pg-boss starts after every module is ready, in the background, so readiness does not wait
 * for it, and stops before the ORM's pool closes, letting running handlers finish (SHUTDOWN_GRACE_MS).
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly queues = new Map<string, Registered>();
  private readonly periodic = new Map<string, { intervalMs: number; handler: TickHandler }>();
  private readonly offers: TickOffers;
  private boss: PgBoss | undefined;
  private starting: Promise<void> | undefined;
  private readonly recent = new Map<string, { at: number; repeated: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MikroORM) private readonly orm: MikroORM,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.offers = new TickOffers(clock, (task, slot) => this.offer(task, slot));
  }

  /** Adds a queue and its handler; before start it waits for it, after start it takes effect at once. */
  async register<T extends object>(spec: QueueSpec, handler: JobHandler<T>): Promise<void> {
    if (this.queues.has(spec.name)) throw new Error(`queue ${spec.name} is registered twice`);
    this.queues.set(spec.name, { spec, handler: handler as JobHandler<object> });
    if (this.boss) await this.startQueue(this.boss, spec);
  }

  /** A periodic task: `handler` runs once per `intervalMs` slot (multiples since the epoch), on one replica. */
  async every(task: string, intervalMs: number, handler: TickHandler): Promise<void> {
    this.periodic.set(task, { intervalMs, handler });
    await this.register<{ slot: string }>(tickQueue(task, intervalMs), async ({ slot }) => void (await this.runTick(task, new Date(slot))));
    if (this.boss) this.offers.start(task, intervalMs);
  }

  /**
   * Runs one slot of a task in one transaction that first claims the slot in job_ticks: false, and nothing
   * done, when the slot was claimed already (a second delivery). Tests call it directly with a moved clock.
   */
  async runTick(task: string, slot: Date): Promise<boolean> {
    const periodic = this.periodic.get(task);
    if (!periodic) throw new Error(`no periodic task ${task}`);
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      if ((await CLAIM_SLOT.run(em, { task, slot, now })).length === 0) return false;
      await periodic.handler({ task, slot, now, em });
      await COMPLETE_SLOT.run(em, { task, slot, now: this.clock.now() });
      await FORGET_OLD_SLOTS.run(em, { task, slot });
      return true;
    });
  }

  /** Queues a job; the id, or null when a singleton of it exists already. Throws while the library is off or not started. */
  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    if (!this.boss) throw new Error(`the job library is not running (JOBS_ENABLED=${this.config.jobs.enabled}): cannot send ${name}`);
    return this.boss.send(name, data, options);
  }

  /** Resolves once pg-boss runs with every queue registered so far (at once when jobs are off). */
  async started(): Promise<void> {
    await this.starting;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    const problem = await this.schemaProblem();
    if (problem) {
      // MIGRATIONS_ON_BOOT=off: readiness reports the pending migrations; the service runs without jobs.
      if (this.config.migrations.onBoot === 'off') return void this.logger.warn(`${problem.message}; jobs are off`);
      throw problem;
    }
    this.starting = this.start().catch((error: unknown) => {
      this.logger.error(`the job library did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.offers.stop();
    await this.starting;
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, timeout: Math.max(1, this.config.shutdownGraceMs) });
  }

  /** Checked before listening, on our pool: pg-boss's own check would fail later, in the background, less clearly. */
  private async schemaProblem(): Promise<Error | undefined> {
    const state = await jobSchemaState(this.orm.em);
    if (state.installed && !state.usable) return new JobsSchemaDeniedError();
    const version = state.installed ? state.version : null;
    return version === PGBOSS_SCHEMA_VERSION ? undefined : new JobsSchemaMismatchError(version);
  }

  private async start(): Promise<void> {
    // Loaded here, in the background, not at start-up: its ~150 modules stay off the path to readiness.
    const { PgBoss } = await import('pg-boss');
    const boss = new PgBoss(bossOptions(this.config));
    // An unhandled 'error' event would end the process; pg-boss keeps polling after one (a database outage).
    boss.on('error', (error) => this.once(`pg-boss: ${error.message}`, (m) => this.logger.error(m)));
    boss.on('warning', (warning) => this.once(`pg-boss: ${warning.message}`, (m) => this.logger.warn(m)));
    await boss.start();
    for (const { spec } of this.queues.values()) await this.startQueue(boss, spec);
    this.boss = boss;
    for (const [task, { intervalMs }] of this.periodic) this.offers.start(task, intervalMs);
    this.logger.log(`job library started: ${[...this.queues.keys()].join(', ') || 'no queues'}`);
  }

  /** Creates the queue or brings its retry policy to the spec, then starts its worker. */
  private async startQueue(boss: PgBoss, spec: QueueSpec): Promise<void> {
    const policy = {
      retryLimit: spec.retryLimit,
      retryDelay: spec.retryDelaySeconds,
      retryBackoff: spec.retryBackoff,
      expireInSeconds: spec.expireInSeconds,
      deleteAfterSeconds: spec.keepFinishedSeconds,
    };
    await boss.createQueue(spec.name, policy);
    await boss.updateQueue(spec.name, policy);
    const pollingIntervalSeconds = this.config.jobs.pollIntervalMs / 1000;
    await boss.work<object>(spec.name, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
      const registered = this.queues.get(spec.name) as Registered;
      try {
        await registered.handler(job.data, { id: job.id, retryCount: job.retryCount });
      } catch (error) {
        this.logger.warn(`job ${spec.name} ${job.id} (attempt ${job.retryCount + 1}) failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    });
  }

  /** A message logged again within a minute is counted, not repeated: every worker's poll fails while the database is away. */
  private once(message: string, log: (message: string) => void): void {
    const now = this.clock.now().getTime();
    const seen = this.recent.get(message);
    if (seen && now - seen.at < REPEAT_WINDOW_MS) return void (seen.repeated += 1);
    log(seen?.repeated ? `${message} (and ${seen.repeated} more time(s) in the last minute)` : message);
    if (this.recent.size > 100) this.recent.clear();
    this.recent.set(message, { at: now, repeated: 0 });
  }

  /** One job per slot: both the key and pg-boss's singleton window collapse offers from every replica. */
  private async offer(task: string, slot: Date): Promise<void> {
    const periodic = this.periodic.get(task);
    if (!this.boss || !periodic) return;
    const key = slot.toISOString();
    try {
      await this.boss.send(task, { slot: key }, { singletonKey: key, singletonSeconds: singletonSecondsOf(periodic.intervalMs) });
    } catch (error) {
      // The database is away: this slot is lost, the next one is offered on time.
      this.once(`could not offer ${task}: ${error instanceof Error ? error.message : String(error)}`, (m) => this.logger.warn(m));
    }
  }
}
