import { sql } from './test-database.js';

export const metric = (overrides: Record<string, unknown> = {}) => ({
  pipeline_name: 'orders_etl',
  metric_type: 'row_count',
  metric_value: 1000,
  ...overrides,
});

/** Row counts of the tables a metrics request may write: "a rejected request writes nothing". */
export async function qualityRowCounts(url: string): Promise<{ metrics: number; keys: number }> {
  const [row] = await sql<{ metrics: number; keys: number }>(
    url,
    `select (select count(*)::int from data_quality_metrics) as metrics, (select count(*)::int from idempotency_keys) as keys`,
  );
  return row;
}
