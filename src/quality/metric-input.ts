import type { MetricsConfig } from '../config/app.config.js';
import type { InvalidParam } from '../common/problem.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { unstorable } from '../common/storable.js';
import { reportedTimeProblems } from '../common/time-bounds.js';
import type { RecordMetricDto } from './dto/record-metric.dto.js';
import { canonicalUuid } from '../common/uuid.js';
import { datasetIdentity } from '../lineage/dataset-identity.js';
import { ASSERTION_METRIC } from './dto/record-metric.dto.js';

/** A metric as INSERT_METRICS takes it. */
export interface MetricRow {
  metric_id: string;
  pipeline_name: string;
  metric_type: string;
  metric_value: number;
  recorded_at: string;
  execution_id: string | null;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  metadata: Record<string, unknown>;
}

/**
 * What the schema cannot say about one metric: recorded_at within the bounds of every reported time
 * (1900 to 2999 in UTC, not too far in the future), metadata within
 * its size and free of NUL characters (which PostgreSQL cannot store in jsonb).
 */
export function checkMetric(metric: RecordMetricDto, at: string, rules: MetricsConfig, now: number): InvalidParam[] {
  const problems = reportedTimeProblems({ [`${at}/recorded_at`]: metric.recorded_at }, now, rules.maxFutureSkewMs);
  problems.push(...identityProblems(metric, at));
  if (metric.metadata !== undefined) {
    // Checked first, iteratively: JSON.stringify of metadata nested thousands deep would overflow the stack.
    const unstored = unstorable(metric.metadata);
    if (unstored) {
      problems.push({ ...unstored, pointer: `${at}/metadata${unstored.pointer === '/' ? '' : unstored.pointer}` });
    } else if (Buffer.byteLength(JSON.stringify(metric.metadata)) > rules.metadataMaxBytes) {
      problems.push({ in: 'body', pointer: `${at}/metadata`, detail: `is larger than ${rules.metadataMaxBytes} bytes as JSON` });
    }
  }
  return problems;
}

const bodyProblem = (pointer: string, detail: string): InvalidParam => ({ in: 'body', pointer, detail });

/** A dataset is named whole (namespace and name), a column only within one, and a test result is an assertion metric of 0 or 1. */
function identityProblems(metric: RecordMetricDto, at: string): InvalidParam[] {
  const problems: InvalidParam[] = [];
  const [namespace, name] = [metric.dataset_namespace !== undefined, metric.dataset_name !== undefined];
  if (name && !namespace) problems.push(bodyProblem(`${at}/dataset_namespace`, 'is required with dataset_name'));
  if (namespace && !name) problems.push(bodyProblem(`${at}/dataset_name`, 'is required with dataset_namespace'));
  if (metric.column !== undefined && !namespace && !name) problems.push(bodyProblem(`${at}/column`, 'needs a dataset: give dataset_namespace and dataset_name'));
  if (metric.assertion !== undefined) {
    if (metric.metric_type !== ASSERTION_METRIC) problems.push(bodyProblem(`${at}/metric_type`, `must be "${ASSERTION_METRIC}" with an assertion`));
    if (metric.metric_value !== 0 && metric.metric_value !== 1) problems.push(bodyProblem(`${at}/metric_value`, 'must be 1 (passed) or 0 (failed) with an assertion'));
  } else if (metric.metric_type === ASSERTION_METRIC) {
    problems.push(bodyProblem(`${at}/assertion`, `is required with metric_type "${ASSERTION_METRIC}": the test's name, and optionally its failing rows`));
  }
  return problems;
}

/** The metadata an assertion is stored with: the shape OpenLineage's dataQualityAssertions facet gives it (quality-facets.ts). */
function withAssertion(metric: RecordMetricDto): Record<string, unknown> {
  const metadata = metric.metadata ?? {};
  if (!metric.assertion) return metadata;
  const { name, failing_rows } = metric.assertion;
  const assertion = { assertion: name, success: metric.metric_value === 1, ...(metric.column === undefined ? {} : { column: metric.column.trim() }), ...(failing_rows === undefined ? {} : { failing_rows }) };
  return { ...metadata, assertion };
}

export function toRow(metric: RecordMetricDto, now: number): MetricRow {
  return {
    metric_id: uuidV7(),
    pipeline_name: metric.pipeline_name,
    metric_type: metric.metric_type,
    metric_value: metric.metric_value,
    recorded_at: metric.recorded_at ?? new Date(now).toISOString(),
    execution_id: metric.execution_id ? canonicalUuid(metric.execution_id) : null,
    ...identityColumns(metric.dataset_namespace, metric.dataset_name, metric.column),
    metadata: withAssertion(metric),
  };
}

/** The identity columns of a metric that names this dataset and column (or none), normalised. */
export function identityColumns(namespace: string | undefined, name: string | undefined, column: string | undefined): Pick<MetricRow, 'dataset_namespace' | 'dataset_name' | 'column_name'> {
  if (namespace === undefined || name === undefined) return { dataset_namespace: null, dataset_name: null, column_name: null };
  const dataset = datasetIdentity(namespace, name);
  return { dataset_namespace: dataset.namespace, dataset_name: dataset.name, column_name: column === undefined ? null : column.trim() };
}
