import { Check, Entity, Index, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';

/** One link a pipeline's page shows (a runbook, the DAG's source): an http(s) URL and an optional title. */
export interface PipelineLink {
  title?: string;
  url: string;
}

/**
 * A pipeline: the registry row behind GET /v1/pipelines (docs/pipelines.md). It exists from the first run
 * (the run-create statements insert it, `on conflict do nothing`) or from `PUT /v1/pipelines/{name}`, which
 * sets the metadata. A schedule is a cron expression in an IANA time zone, or a fixed interval (`every`),
 * never both. An archived pipeline leaves the default list and fires nothing (monitors check archived_at).
 */
@Entity({ tableName: 'pipelines' })
@Check({ name: 'pipelines_name_not_blank', expression: `btrim(name) <> ''` })
@Check({ name: 'pipelines_links_is_array', expression: `jsonb_typeof(links) = 'array'` })
@Check({ name: 'pipelines_cron_has_timezone', expression: '(schedule_cron is null) = (schedule_timezone is null)' })
@Check({ name: 'pipelines_one_schedule', expression: 'schedule_cron is null or schedule_every is null' })
@Check({ name: 'pipelines_every_positive', expression: `schedule_every > '00:00:00'::interval` })
// The list's filters; each page walks names in order (the primary key, or this partial index for the default list).
@Index({ name: 'pipelines_owner_name_idx', properties: ['owner', 'name'] })
@Index({ name: 'pipelines_team_name_idx', properties: ['team', 'name'] })
@Index({ name: 'pipelines_tags_idx', expression: 'create index "pipelines_tags_idx" on "pipelines" using gin ("tags")' })
@Index({ name: 'pipelines_active_name_idx', properties: ['name'], where: 'archived_at is null' })
// Name search by prefix (q): LIKE 'prefix%' needs text_pattern_ops under a non-C collation.
@Index({ name: 'pipelines_name_pattern_idx', expression: 'create index "pipelines_name_pattern_idx" on "pipelines" ("name" text_pattern_ops)' })
@Trigger({
  name: 'pipelines_touch_updated_at',
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  body: 'NEW.updated_at = now(); RETURN NEW;',
})
export class Pipeline {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text', nullable: true })
  owner: string | null = null;

  @Property({ type: 'text', nullable: true })
  team: string | null = null;

  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  tags: string[] = [];

  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'[]'` })
  links: PipelineLink[] = [];

  @Property({ type: 'text', nullable: true })
  scheduleCron: string | null = null;

  @Property({ type: 'text', nullable: true })
  scheduleTimezone: string | null = null;

  /** A fixed interval between expected runs: an interval, so SQL can add it to the last covered time. */
  @Property({ type: 'interval', columnType: 'interval', nullable: true })
  scheduleEvery: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  archivedAt: Date | null = null;

  /** When the first run was recorded; null for a pipeline declared before any run (read falls back to its first run). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  firstSeenAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Maintained by the touch trigger on every update. */
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
