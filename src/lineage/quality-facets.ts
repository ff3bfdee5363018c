// Data quality facets of an OpenLineage run event, as metric rows. Pure: the event is already validated
// against the facet schemas, so the fields have the types those schemas give them.

import { datasetIdentity, type DatasetIdentity } from './dataset-identity.js';

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
  /** The dataset the facet belongs to (normalised by datasetIdentity) and the column, if the metric is of one. */
  dataset_namespace: string;
  dataset_name: string;
  column_name: string | null;
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

/** inputStatistics / outputStatistics: what the run read from or wrote to the dataset. */
interface StatisticsFacet {
  rowCount?: number;
  size?: number;
  fileCount?: number;
}

interface Assertion {
  assertion: string;
  success: boolean;
  column?: string;
  [detail: string]: unknown;
}

const DATASET_METRICS = [['rowCount', 'row_count'], ['bytes', 'bytes'], ['fileCount', 'file_count']] as const;
const STATISTICS_METRICS = [['rowCount', 'row_count'], ['size', 'bytes'], ['fileCount', 'file_count']] as const;
const COLUMN_METRICS = [
  ['nullCount', 'column.null_count'],
  ['distinctCount', 'column.distinct_count'],
  ['sum', 'column.sum'],
  ['count', 'column.count'],
  ['min', 'column.min'],
  ['max', 'column.max'],
] as const;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Called once per metric a facet yields, with the column it measures (null: the whole dataset);
 * `metadata` is built only when called (counting never does).
 */
type Emit = (metricType: string, metricValue: number, column: string | null, metadata: () => Record<string, unknown>) => void;

/** The dataset-level metric types a dataQualityMetrics facet gave, which the statistics facets then do not repeat. */
function fromMetricsFacet(facet: QualityMetricsFacet, base: Record<string, unknown>, emit: Emit, given: Set<string>): void {
  const push = (type: string, value: unknown, column: string | null, more: Record<string, unknown> = {}) => {
    if (isNumber(value)) emit(type, value, column, () => ({ ...base, ...more }));
  };
  for (const [field, type] of DATASET_METRICS) {
    if (isNumber(facet[field])) given.add(type);
    push(type, facet[field], null);
  }
  for (const [column, metrics] of Object.entries(facet.columnMetrics ?? {})) {
    for (const [field, type] of COLUMN_METRICS) push(type, metrics[field], column, { column });
    for (const [quantile, value] of Object.entries(metrics.quantiles ?? {})) push('column.quantile', value, column, { column, quantile });
  }
}

function fromStatistics(facet: StatisticsFacet, base: Record<string, unknown>, emit: Emit, given: ReadonlySet<string>): void {
  for (const [field, type] of STATISTICS_METRICS) {
    const value = facet[field];
    // Producers write -1 for "not known" (rowCountsOf skips those too).
    if (isNumber(value) && value >= 0 && !given.has(type)) emit(type, value, null, () => base);
  }
}

function fromAssertions(assertions: Assertion[], base: Record<string, unknown>, emit: Emit): void {
  for (const a of assertions) {
    const column = typeof a.column === 'string' && a.column.trim() !== '' ? a.column.trim() : null;
    emit('assertion', a.success ? 1 : 0, column, () => ({ ...base, ...(column === null ? {} : { column }), assertion: a }));
  }
}

/** Every metric the quality and statistics facets of these datasets yield, in order, through `emit` with the dataset's identity. */
function eachMetric(inputs: Dataset[], outputs: Dataset[], lineageEventId: string, emit: (dataset: DatasetIdentity, ...metric: Parameters<Emit>) => void): void {
  const datasets: [Role, Dataset][] = [...inputs.map((d) => ['input', d] as [Role, Dataset]), ...outputs.map((d) => ['output', d] as [Role, Dataset])];
  for (const [role, dataset] of datasets) {
    const identity = datasetIdentity(dataset.namespace, dataset.name);
    const to: Emit = (...metric) => emit(identity, ...metric);
    const base = (facet: string) => ({ source: 'openlineage', lineage_event_id: lineageEventId, facet, role, dataset: { namespace: dataset.namespace, name: dataset.name } });
    const given = new Set<string>();
    // The input variant of the facet sits in inputFacets, the dataset variant in facets: both are read.
    const metricFacets = [role === 'input' ? dataset.inputFacets?.dataQualityMetrics : undefined, dataset.facets?.dataQualityMetrics];
    for (const facet of metricFacets) if (facet) fromMetricsFacet(facet as QualityMetricsFacet, base('dataQualityMetrics'), to, given);
    const statistics = role === 'input' ? ['inputStatistics', dataset.inputFacets?.inputStatistics] : ['outputStatistics', dataset.outputFacets?.outputStatistics];
    if (statistics[1]) fromStatistics(statistics[1] as StatisticsFacet, base(statistics[0] as string), to, given);
    // An input facet in the specification; some producers put it among the dataset's own facets.
    for (const facet of [role === 'input' ? dataset.inputFacets?.dataQualityAssertions : undefined, dataset.facets?.dataQualityAssertions]) {
      const assertions = (facet as { assertions?: Assertion[] } | undefined)?.assertions;
      if (assertions) fromAssertions(assertions, base('dataQualityAssertions'), to);
    }
  }
}

/**
 * dataQualityMetrics → row_count, bytes, file_count per dataset and column.* per column (quantiles one
 * metric each); inputStatistics / outputStatistics → row_count, bytes, file_count, those the dataset's
 * dataQualityMetrics did not give; dataQualityAssertions → one `assertion` metric per assertion, 1 for
 * success and 0 for failure. Each metric names the dataset its facet belongs to and the column it measures
 * (its series, docs/datasets.md); its metadata names the dataset as the event spelled it, its role, the
 * facet, and the raw event it came from (`lineage_event_id`), which is how a replay finds the metrics to rebuild.
 */
export function qualityMetrics(inputs: Dataset[], outputs: Dataset[], lineageEventId: string): MetricDraft[] {
  const drafts: MetricDraft[] = [];
  eachMetric(inputs, outputs, lineageEventId, (dataset, metric_type, metric_value, column, metadata) =>
    drafts.push({ metric_type, metric_value, dataset_namespace: dataset.namespace, dataset_name: dataset.name, column_name: column, metadata: metadata() }),
  );
  return drafts;
}

/** How many metrics qualityMetrics would make of these datasets, without making them: what the caps count. */
export function qualityMetricCount(inputs: Dataset[], outputs: Dataset[]): number {
  let count = 0;
  eachMetric(inputs, outputs, '', () => count++);
  return count;
}
