import { PipelineExecution } from '../audit/pipeline-execution.entity.js';
import { Pipeline } from '../audit/pipeline.entity.js';
import { PipelineExecutionEvent } from '../audit/pipeline-execution-event.entity.js';
import { DataQualityMetric } from '../quality/data-quality-metric.entity.js';
import { DataQualityMetricHour } from '../quality/data-quality-metric-hour.entity.js';
import { MetricSeries } from '../quality/metric-series.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { LineageEvent } from '../lineage/lineage-event.entity.js';
import { JobTick } from '../jobs/job-tick.entity.js';
import { Monitor } from '../monitors/monitor.entity.js';
import { MonitorDefault } from '../monitors/monitor-default.entity.js';
import { MonitorSeriesState } from '../monitors/monitor-series-state.entity.js';
import { Incident } from '../incidents/incident.entity.js';
import { IncidentEvent } from '../incidents/incident-event.entity.js';
import { OutboxEvent } from '../outbox/outbox-event.entity.js';

/** Every entity the ORM knows; each is owned (and only registered for injection) by its feature's module. */
export const ENTITIES = [PipelineExecution, PipelineExecutionEvent, DataQualityMetric, MetricSeries, DataQualityMetricHour, IdempotencyKey, ApiKey, LineageEvent, JobTick, Monitor, MonitorDefault, MonitorSeriesState, Incident, IncidentEvent, OutboxEvent, Pipeline];
