import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, preparedShapes, timestamptz } from '../database/typed-sql.js';
import { ExecutionStatus } from './execution-status.js';
import type { PipelineHealth } from './pipeline-health.js';

type Runs = ExpressionBuilder<Database, 'pipeline_executions'>;

/** Successful runs' duration percentile in ms, rounded to the microsecond (floating point would show 536999.9999999998). */
const durationPercentile = (eb: Runs, fraction: number) =>
  sql<number | null>`round(percentile_cont(${sql.lit(fraction)}) within group (order by extract(epoch from ${eb.ref('completed_at')} - ${eb.ref('started_at')}) * 1000)
    filter (where ${eb('status', '=', sql.lit(ExecutionStatus.Succeeded))})::numeric, 3)::float8`;

const countOf = (eb: Runs, status: ExecutionStatus) => sql<number>`(count(*) filter (where ${eb('status', '=', sql.lit(status))}))::int`;

/** Which list a request asks for: flags only (see preparedShapes); the values go through ListValues. */
export interface PipelineListShape {
  /** One pipeline by name (GET /v1/pipelines/{name}) instead of a page. */
  one: boolean;
  owner: boolean;
  team: boolean;
  tag: boolean;
  q: boolean;
  archived: 'false' | 'true' | 'all';
  /** Narrows in SQL to the rows that can have this health; the service decides `late` for cron schedules. */
  health: PipelineHealth | null;
  after: boolean;
}

export interface PipelineListValues {
  name: string;
  owner: string;
  team: string;
  tag: string;
  /** A LIKE pattern: the escaped prefix and %. */
  pattern: string;
  after: string;
  fetch: number;
  window: string;
  /** The injected clock's time (RFC 3339), for `late`. */
  now: string;
}

/**
 * Pipelines from the registry in name order (keyset on the primary key, or on the partial index of
 * unarchived names), each with its latest run, its latest covered period (the newest success's
 * coalesce(nominal_time, started_at)), its latest success and its runs within the window: each lateral is one
 * probe or one range of an index on (pipeline_name, …), per row of the page. Filters apply to the pipelines
 * table (owner, team, tag by GIN, name prefix by text_pattern_ops) or to the probes' results (health).
 */
export const pipelineListing = preparedShapes((db, p: PipelineListValues, shape: PipelineListShape) => {
  let query = db
    .selectFrom('pipelines as p')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select(['execution_id', 'status', 'started_at', 'completed_at', 'attempt', 'max_attempts'])
          .whereRef('pipeline_name', '=', 'p.name')
          .orderBy('started_at', 'desc')
          .orderBy('execution_id', 'desc')
          .limit(1)
          .as('l'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select(sql<Date>`coalesce(nominal_time, started_at)`.as('covered_at'))
          .whereRef('pipeline_name', '=', 'p.name')
          .where('status', '=', sql.lit(ExecutionStatus.Succeeded))
          .orderBy(sql`coalesce(nominal_time, started_at)`, 'desc')
          .limit(1)
          .as('c'),
      (join) => join.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select('completed_at')
          .whereRef('pipeline_name', '=', 'p.name')
          .where('status', '=', sql.lit(ExecutionStatus.Succeeded))
          .orderBy('started_at', 'desc')
          .orderBy('execution_id', 'desc')
          .limit(1)
          .as('s'),
      (join) => join.onTrue(),
    )
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('pipeline_executions')
          .select((eb) => [
            countOf(eb, ExecutionStatus.Pending).as('pending'),
            countOf(eb, ExecutionStatus.Running).as('running'),
            countOf(eb, ExecutionStatus.Succeeded).as('succeeded'),
            countOf(eb, ExecutionStatus.Failed).as('failed'),
            countOf(eb, ExecutionStatus.Cancelled).as('cancelled'),
            durationPercentile(eb, 0.5).as('p50_ms'),
            durationPercentile(eb, 0.95).as('p95_ms'),
          ])
          .whereRef('pipeline_name', '=', 'p.name')
          .where('started_at', '>=', sql<Date>`now() - ${p.window}::interval`)
          .as('w'),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      'p.name',
      'p.description',
      'p.owner',
      'p.team',
      'p.tags',
      'p.links',
      'p.schedule_cron',
      'p.schedule_timezone',
      sql<number | null>`(extract(epoch from ${eb.ref('p.schedule_every')}) * 1000)::float8`.as('schedule_every_ms'),
      isoText<null>(eb.ref('p.archived_at')).as('archived_at'),
      // Declared before its first run: the first run's start (one probe), until a run records it.
      isoText<null>(
        sql`coalesce(${eb.ref('p.first_seen_at')}, (select min(x.started_at) from ${sql.table('pipeline_executions')} x where x.pipeline_name = ${eb.ref('p.name')}))`,
      ).as('first_seen_at'),
      isoText(eb.ref('p.created_at')).as('created_at'),
      isoText(eb.ref('p.updated_at')).as('updated_at'),
      'l.execution_id as last_execution_id',
      'l.status as last_status',
      isoText<null>(eb.ref('l.started_at')).as('last_started_at'),
      isoText<null>(eb.ref('l.completed_at')).as('last_completed_at'),
      'l.attempt as last_attempt',
      'l.max_attempts as last_max_attempts',
      isoText<null>(eb.ref('c.covered_at')).as('last_covered_at'),
      isoText<null>(eb.ref('s.completed_at')).as('last_success_at'),
      'w.pending',
      'w.running',
      'w.succeeded',
      'w.failed',
      'w.cancelled',
      'w.p50_ms',
      'w.p95_ms',
      // Unresolved incidents (monitors and incidents, docs/incidents.md): incidents_pipeline_status_idx.
      sql<number>`(select count(*)::int from ${sql.table('incidents')} i where i.pipeline_name = ${eb.ref('p.name')} and i.status <> 'resolved')`.as(
        'open_incidents',
      ),
    ]);
  if (shape.one) query = query.where('p.name', '=', p.name);
  if (shape.owner) query = query.where('p.owner', '=', p.owner);
  if (shape.team) query = query.where('p.team', '=', p.team);
  if (shape.tag) query = query.where(sql<boolean>`${sql.ref('p.tags')} @> array[${p.tag}]::text[]`);
  if (shape.q) query = query.where('p.name', 'like', p.pattern);
  if (shape.archived !== 'all') query = query.where('p.archived_at', shape.archived === 'true' ? 'is not' : 'is', null);
  if (shape.health) query = query.where(healthNarrowing(shape.health, p.now));
  if (shape.after) query = query.where('p.name', '>', p.after);
  return query.orderBy('p.name').limit(p.fetch);
});

const RUNNING = sql`l.status in ('pending', 'running')`;
/** The final attempt failed: an attempt below max_attempts will be retried, so it is not failing yet. */
const FAILING = sql`(l.status = 'failed' and l.attempt >= coalesce(l.max_attempts, 1))`;
/** When the last covered period (else the pipeline's first sighting) is further back than `every`. */
const everyOverdue = (now: string) =>
  sql`(p.schedule_every is not null and coalesce(c.covered_at, p.first_seen_at, p.created_at) + p.schedule_every < ${timestamptz(now)})`;

/**
 * The SQL side of the health filter (docs/pipelines.md defines each state and their precedence). Exact for
 * unknown, running, failing and for `every` schedules; a cron schedule's next occurrence is computed by the
 * service, so for late and healthy the rows with a cron schedule pass here and are decided there.
 */
function healthNarrowing(health: PipelineHealth, now: string) {
  const ran = sql`l.execution_id is not null`;
  const settled = sql`${ran} and not ${RUNNING} and not ${FAILING}`;
  switch (health) {
    case 'unknown':
      return sql<boolean>`l.execution_id is null`;
    case 'running':
      return sql<boolean>`${RUNNING}`;
    case 'failing':
      return sql<boolean>`${FAILING}`;
    case 'late':
      return sql<boolean>`${settled} and (p.schedule_cron is not null or ${everyOverdue(now)})`;
    case 'healthy':
      return sql<boolean>`${settled} and not ${everyOverdue(now)}`;
  }
}

export type PipelineRow = Awaited<ReturnType<ReturnType<typeof pipelineListing>['run']>>[number];
