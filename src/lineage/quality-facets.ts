// Data quality facets of an OpenLineage run event, as metric rows. Pure: the event is already validated
// against the facet schemas, so the fields have the types those schemas give them.

export interface Dataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
  inputFacets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

/** A metric before it knows its pipeline and execution (those come from the execution the event updated). */
export interface MetricDraft {
  metric_type: string;
  metric_value: number;
  metadata: Record<string, unknown>;
}

type Role = 'input' | 'output';

interface ColumnMetrics {
  nullCount?: number;
  distinctCount?: number;
  sum?: number;
  count?: number;
  min?: number;
  max?: number;
  quantiles?: Record<string, number>;
}

interface QualityMetricsFacet {
  rowCount?: number;
  bytes?: number;
  fileCount?: number;
  columnMetrics?: Record<string, ColumnMetrics>;
}

interface Assertion {
  assertion: string;
  success: boolean;
  column?: string;
  [detail: string]: unknown;
}

const DATASET_METRICS = [['rowCount', 'row_count'], ['bytes', 'bytes'], ['fileCount', 'file_count']] as const;
const COLUMN_METRICS = [
  ['nullCount', 'column.null_count'],
  ['distinctCount', 'column.distinct_count'],
  ['sum', 'column.sum'],
  ['count', 'column.count'],
  ['min', 'column.min'],
  ['max', 'column.max'],
] as const;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Called once per metric a facet yields; `metadata` is built only when called (counting never does). */
type Emit = (metricType: string, metricValue: number, metadata: () => Record<string, unknown>) => void;

function fromMetricsFacet(facet: QualityMetricsFacet, base: Record<string, unknown>, emit: Emit): void {
  const push = (type: string, value: unknown, more: Record<string, unknown> = {}) => {
    if (isNumber(value)) emit(type, value, () => ({ ...base, ...more }));
  };
  for (const [field, type] of DATASET_METRICS) push(type, facet[field]);
  for (const [column, metrics] of Object.entries(facet.columnMetrics ?? {})) {
    for (const [field, type] of COLUMN_METRICS) push(type, metrics[field], { column });
    for (const [quantile, value] of Object.entries(metrics.quantiles ?? {})) push('column.quantile', value, { column, quantile });
  }
}

function fromAssertions(assertions: Assertion[], base: Record<string, unknown>, emit: Emit): void {
  for (const a of assertions) emit('assertion', a.success ? 1 : 0, () => ({ ...base, ...(a.column === undefined ? {} : { column: a.column }), assertion: a }));
}

/** Every metric the quality facets of these datasets yield, in order, through `emit`. */
function eachMetric(inputs: Dataset[], outputs: Dataset[], lineageEventId: string, emit: Emit): void {
  const datasets: [Role, Dataset][] = [...inputs.map((d) => ['input', d] as [Role, Dataset]), ...outputs.map((d) => ['output', d] as [Role, Dataset])];
  for (const [role, dataset] of datasets) {
    const base = (facet: string) => ({ source: 'openlineage', lineage_event_id: lineageEventId, facet, role, dataset: { namespace: dataset.namespace, name: dataset.name } });
    // The input variant of the facet sits in inputFacets, the dataset variant in facets: both are read.
    const metricFacets = [role === 'input' ? dataset.inputFacets?.dataQualityMetrics : undefined, dataset.facets?.dataQualityMetrics];
    for (const facet of metricFacets) if (facet) fromMetricsFacet(facet as QualityMetricsFacet, base('dataQualityMetrics'), emit);
    const assertions = role === 'input' ? (dataset.inputFacets?.dataQualityAssertions as { assertions?: Assertion[] } | undefined) : undefined;
    if (assertions?.assertions) fromAssertions(assertions.assertions, base('dataQualityAssertions'), emit);
  }
}

/**
 * dataQualityMetrics → row_count, bytes, file_count per dataset and column.* per column (quantiles one
 * metric each); dataQualityAssertions → one `assertion` metric per assertion, 1 for success and 0 for
 * failure. Each metric's metadata names the dataset, its role, the facet and the column, and the raw event
 * it came from (`lineage_event_id`), which is how a replay finds the metrics to rebuild.
 */
export function qualityMetrics(inputs: Dataset[], outputs: Dataset[], lineageEventId: string): MetricDraft[] {
  const drafts: MetricDraft[] = [];
  eachMetric(inputs, outputs, lineageEventId, (metric_type, metric_value, metadata) => drafts.push({ metric_type, metric_value, metadata: metadata() }));
  return drafts;
}

/** How many metrics qualityMetrics would make of these datasets, without making them: what the caps count. */
export function qualityMetricCount(inputs: Dataset[], outputs: Dataset[]): number {
  let count = 0;
  eachMetric(inputs, outputs, '', () => count++);
  return count;
}
