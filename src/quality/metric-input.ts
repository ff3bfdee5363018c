import type { MetricsConfig } from '../config/app.config.js';
import type { InvalidParam } from '../common/problem.js';
import { uuidV7 } from '../database/uuid-v7.js';
import { unstorable } from '../common/storable.js';
import { reportedTimeProblems } from '../common/time-bounds.js';
import type { RecordMetricDto } from './dto/record-metric.dto.js';
import { canonicalUuid } from '../common/uuid.js';

/** A metric as INSERT_METRICS takes it. */
export interface MetricRow {
  metric_id: string;
  pipeline_name: string;
  metric_type: string;
  metric_value: number;
  recorded_at: string;
  execution_id: string | null;
  metadata: Record<string, unknown>;
}

/**
 * What the schema cannot say about one metric: recorded_at within the bounds of every reported time
 * (1900 to 2999 in UTC, not too far in the future), metadata within
 * its size and free of NUL characters (which PostgreSQL cannot store in jsonb).
 */
export function checkMetric(metric: RecordMetricDto, at: string, rules: MetricsConfig, now: number): InvalidParam[] {
  const problems = reportedTimeProblems({ [`${at}/recorded_at`]: metric.recorded_at }, now, rules.maxFutureSkewMs);
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

export function toRow(metric: RecordMetricDto, now: number): MetricRow {
  return {
    metric_id: uuidV7(),
    pipeline_name: metric.pipeline_name,
    metric_type: metric.metric_type,
    metric_value: metric.metric_value,
    recorded_at: metric.recorded_at ?? new Date(now).toISOString(),
    execution_id: metric.execution_id ? canonicalUuid(metric.execution_id) : null,
    metadata: metric.metadata ?? {},
  };
}
