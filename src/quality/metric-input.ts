import type { MetricsConfig } from '../config/app.config.js';
import type { InvalidParam } from '../common/problem.js';
import { uuidV7 } from '../database/uuid-v7.js';
import type { RecordMetricDto } from './dto/record-metric.dto.js';

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
 * What the schema cannot say about one metric: recorded_at not too far in the future, metadata within
 * its size and free of NUL characters (which PostgreSQL cannot store in jsonb).
 */
export function checkMetric(metric: RecordMetricDto, at: string, rules: MetricsConfig, now: number): InvalidParam[] {
  const problems: InvalidParam[] = [];
  if (metric.recorded_at !== undefined && Date.parse(metric.recorded_at) > now + rules.maxFutureSkewMs) {
    problems.push({ in: 'body', pointer: `${at}/recorded_at`, detail: `is more than ${rules.maxFutureSkewMs} ms in the future` });
  }
  if (metric.metadata !== undefined) {
    const json = JSON.stringify(metric.metadata);
    if (Buffer.byteLength(json) > rules.metadataMaxBytes) {
      problems.push({ in: 'body', pointer: `${at}/metadata`, detail: `is larger than ${rules.metadataMaxBytes} bytes as JSON` });
    } else if (!storable(metric.metadata)) {
      problems.push({ in: 'body', pointer: `${at}/metadata`, detail: 'must not contain NUL characters, lone surrogates or non-finite numbers' });
    }
  }
  return problems;
}

/** Whether PostgreSQL's jsonb can hold `value` as sent: no NUL, no lone UTF-16 surrogate, no 1e400 (Infinity). */
function storable(value: unknown): boolean {
  const text = (s: string) => !s.includes('\0') && s.isWellFormed();
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(storable);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => text(k) && storable(v));
  return true;
}

export function toRow(metric: RecordMetricDto, now: number): MetricRow {
  return {
    metric_id: uuidV7(),
    pipeline_name: metric.pipeline_name,
    metric_type: metric.metric_type,
    metric_value: metric.metric_value,
    recorded_at: metric.recorded_at ?? new Date(now).toISOString(),
    execution_id: metric.execution_id?.toLowerCase() ?? null,
    metadata: metric.metadata ?? {},
  };
}
