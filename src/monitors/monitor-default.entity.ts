import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export const DEFAULT_SCOPES = ['namespace', 'pipeline'] as const;
export type DefaultScope = (typeof DEFAULT_SCOPES)[number];

/**
 * A switch for the built-in run_failed monitor, for one OpenLineage namespace or one pipeline; over the
 * global MONITORS_DEFAULT_RUN_FAILED. A pipeline's switch beats its namespace's; of namespaces, the longest
 * that prefixes the pipeline name (`<namespace>/`) wins. docs/monitors.md "The default run_failed monitor".
 */
@Entity({ tableName: 'monitor_defaults' })
@Check({ name: 'monitor_defaults_scope_known', expression: `scope in ('namespace', 'pipeline')` })
export class MonitorDefault {
  @PrimaryKey({ type: 'text' })
  scope!: DefaultScope;

  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'boolean' })
  runFailedEnabled!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  /** The API key that set it (null: set without one). */
  @Property({ type: 'uuid', nullable: true })
  updatedByKey: string | null = null;
}
