import { sql, type Expression, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Database } from '../database/schema.js';
import { isoText, queries } from '../database/typed-sql.js';

/**
 * Every namespace a pipeline name can belong to: each prefix before a `/` ('a/b/c' → {a, a/b}), so that
 * the lookup is an index probe on monitor_defaults' primary key rather than a scan testing each namespace.
 */
const namespacesOf = (pipeline: Expression<string>) =>
  sql<string[]>`array(select array_to_string((string_to_array(${pipeline}, '/'))[1:i], '/')
    from generate_series(1, cardinality(string_to_array(${pipeline}, '/')) - 1) i)`;

/** A column of the switch of the longest namespace the pipeline is in (null when none is set). */
const namespaceSwitch = <T>(pipeline: Expression<string>, column: 'name' | 'run_failed_enabled') =>
  sql<T>`(select ${sql.ref(`d.${column}`)} from monitor_defaults d
    where d.scope = 'namespace' and d.name = any(${namespacesOf(pipeline)})
    order by length(d.name) desc limit 1)`;

/**
 * Whether the built-in run_failed monitor applies to the pipeline named `pipeline` (an expression: a bound
 * name, or a column in the evaluation's set-based query), for the caller to apply to top-level runs only:
 * 1. not when the pipeline has an enabled run_failed monitor of its own (that one fires instead);
 * 2. else its `pipeline` switch in monitor_defaults;
 * 3. else the switch of the longest namespace N such that the name starts with `N/` (OpenLineage pipelines
 *    are named `namespace/job`, docs/openlineage.md; a REST name like `sales/daily` matches namespace `sales`);
 * 4. else MONITORS_DEFAULT_RUN_FAILED (`globalDefault`).
 * Served by monitor_defaults' primary key and monitors_pipeline_enabled_idx.
 */
export function defaultRunFailedApplies(pipeline: Expression<string>, globalDefault: boolean): RawBuilder<boolean> {
  return sql<boolean>`(
    not exists (select 1 from monitors m where m.enabled and m.pipeline_name = ${pipeline} and m.kind = 'run_failed')
    and coalesce(
      (select d.run_failed_enabled from monitor_defaults d where d.scope = 'pipeline' and d.name = ${pipeline}),
      ${namespaceSwitch(pipeline, 'run_failed_enabled')},
      ${sql.lit(globalDefault)}
    ))`;
}

/** What decides the default for one pipeline, for `GET /v1/monitor-defaults/effective`. */
export const effectiveDefault = (pipelineName: string, globalDefault: boolean) =>
  queries.selectNoFrom([
    defaultRunFailedApplies(sql.val(pipelineName), globalDefault).as('applies'),
    sql<string | null>`(select m.id::text from monitors m where m.enabled and m.pipeline_name = ${pipelineName} and m.kind = 'run_failed' order by m.id limit 1)`.as('own_monitor_id'),
    sql<boolean | null>`(select d.run_failed_enabled from monitor_defaults d where d.scope = 'pipeline' and d.name = ${pipelineName})`.as('pipeline_switch'),
    namespaceSwitch<string | null>(sql.val(pipelineName), 'name').as('namespace'),
  ]);

/** A switch as the API shows it. */
export const defaultColumns = (eb: ExpressionBuilder<Database, 'monitor_defaults'>) => [
  'monitor_defaults.scope' as const,
  'monitor_defaults.name' as const,
  'monitor_defaults.run_failed_enabled as run_failed' as const,
  isoText(eb.ref('monitor_defaults.updated_at')).as('updated_at'),
];

/** One page of switches in (scope, name) order after `after`: a range of monitor_defaults' primary key. */
export const listDefaults = (after: { scope: string; name: string } | undefined, fetch: number) => {
  const q = queries.selectFrom('monitor_defaults').select(defaultColumns);
  const paged = after === undefined ? q : q.where(sql<boolean>`(monitor_defaults.scope, monitor_defaults.name) > (${after.scope}, ${after.name})`);
  return paged.orderBy('monitor_defaults.scope').orderBy('monitor_defaults.name').limit(fetch);
};
