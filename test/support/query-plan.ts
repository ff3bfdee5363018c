import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { runCompiled } from '../../src/database/typed-sql.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export const walkPlan = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walkPlan)];

/** The plan of a statement as EXPLAIN gives it: the tables read whole (`seq`) and the indexes used. */
export async function scansOf(em: EntityManager, sql: string, params: readonly unknown[]): Promise<{ seq: string[]; indexes: string[] }> {
  const [row] = await runCompiled(em, CompiledQuery.raw(`explain (format json) ${sql}`, [...params]) as CompiledQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>);
  const nodes = walkPlan(row['QUERY PLAN'][0].Plan);
  return {
    seq: nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?'),
    indexes: [...new Set(nodes.map((n) => n['Index Name']).filter((n): n is string => !!n))],
  };
}
