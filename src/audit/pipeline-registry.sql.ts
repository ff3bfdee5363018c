import { sql } from 'kysely';
import { jsonb, prepared } from '../database/typed-sql.js';

/** The metadata PUT sets, as stored (every: milliseconds, or null). */
export interface PipelineMetadata {
  name: string;
  description: string | null;
  owner: string | null;
  team: string | null;
  tags: string[];
  /** JSON text of the links array. */
  links: string;
  cron: string | null;
  timezone: string | null;
  everyMs: number | null;
  archived: boolean;
}

/**
 * Declares a pipeline or replaces its metadata (PUT's full replace), in one statement. archived_at keeps
 * the time it was first archived while it stays archived. `created`: the row is new (xmax is 0 only for
 * an inserted row). first_seen_at stays as the runs set it: a declared pipeline has none until its first run.
 */
export const UPSERT_PIPELINE = prepared((db, p: PipelineMetadata) =>
  db
    .insertInto('pipelines')
    .values({
      name: p.name,
      description: p.description,
      owner: p.owner,
      team: p.team,
      tags: sql<string[]>`${p.tags}::text[]`,
      links: jsonb<string>(p.links),
      schedule_cron: p.cron,
      schedule_timezone: p.timezone,
      schedule_every: sql<string | null>`${p.everyMs}::bigint * interval '1 millisecond'`,
      archived_at: sql<Date | null>`case when ${p.archived}::boolean then now() end`,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        description: eb.ref('excluded.description'),
        owner: eb.ref('excluded.owner'),
        team: eb.ref('excluded.team'),
        tags: eb.ref('excluded.tags'),
        links: eb.ref('excluded.links'),
        schedule_cron: eb.ref('excluded.schedule_cron'),
        schedule_timezone: eb.ref('excluded.schedule_timezone'),
        schedule_every: eb.ref('excluded.schedule_every'),
        archived_at: sql<Date | null>`case when ${eb.ref('excluded.archived_at')} is null then null
          else coalesce(${eb.ref('pipelines.archived_at')}, ${eb.ref('excluded.archived_at')}) end`,
      })),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('created')),
);
