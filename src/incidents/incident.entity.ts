import { Check, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { MonitorKind, Severity } from './incident-signal.js';
import type { IncidentStatus } from './incident-transitions.js';

/**
 * One problem a monitor found (docs/incidents.md). At most one unresolved incident per dedupe key (the
 * partial unique index), so evaluating the same signal twice, or from two processes, changes one row.
 * `monitor_id` has no foreign key yet: default monitors have none, and a deleted monitor only disables.
 */
@Entity({ tableName: 'incidents' })
@Check({ name: 'incidents_status_known', expression: `status in ('open', 'acknowledged', 'snoozed', 'resolved')` })
@Check({ name: 'incidents_severity_known', expression: `severity in ('warning', 'critical')` })
@Check({
  name: 'incidents_kind_known',
  expression: `kind in ('run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly')`,
})
@Check({ name: 'incidents_evidence_is_object', expression: `jsonb_typeof(evidence) = 'object'` })
@Check({ name: 'incidents_snoozed_until_iff_snoozed', expression: `(snoozed_until is not null) = (status = 'snoozed')` })
@Check({ name: 'incidents_resolved_at_iff_resolved', expression: `(resolved_at is not null) = (status = 'resolved')` })
@Unique({ name: 'incidents_open_dedupe', properties: ['dedupeKey'], where: `status <> 'resolved'` })
// The default list (unresolved, newest first) stays small however many resolved incidents pile up.
@Index({ name: 'incidents_unresolved_list_idx', properties: ['id'], where: `status <> 'resolved'` })
@Index({ name: 'incidents_status_list_idx', properties: ['status', 'id'] })
@Index({ name: 'incidents_pipeline_status_idx', properties: ['pipelineName', 'status', 'id'] })
@Index({ name: 'incidents_snoozed_until_idx', properties: ['snoozedUntil'], where: `status = 'snoozed'` })
// The open incidents of a dataset (the datasets listing); the dataset fields are set by data monitors only.
@Index({ name: 'incidents_dataset_open_idx', properties: ['datasetNamespace', 'datasetName'], where: `status <> 'resolved' and dataset_name is not null` })
@Check({ name: 'incidents_dataset_whole', expression: '(dataset_namespace is null) = (dataset_name is null)' })
@Check({ name: 'incidents_column_needs_dataset', expression: 'column_name is null or dataset_name is not null' })
@Index({ name: 'incidents_resolved_dedupe_idx', properties: ['dedupeKey', 'resolvedAt'], where: `status = 'resolved'` })
export class Incident {
  @PrimaryKey({ type: 'uuid', fieldName: 'incident_id' })
  id!: string;

  /** monitor (or default:kind) and subject: see dedupeKey() in incident-signal.ts. */
  @Property({ type: 'text' })
  dedupeKey!: string;

  @Property({ type: 'uuid', nullable: true })
  monitorId: string | null = null;

  @Property({ type: 'text' })
  pipelineName!: string;

  /** The dataset (and column) a data monitor's incident is about; null for run incidents. */
  @Property({ type: 'text', nullable: true })
  datasetNamespace: string | null = null;

  @Property({ type: 'text', nullable: true })
  datasetName: string | null = null;

  @Property({ type: 'text', nullable: true })
  columnName: string | null = null;

  @Property({ type: 'text' })
  kind!: MonitorKind;

  @Property({ type: 'text' })
  severity!: Severity;

  @Property({ type: 'text' })
  status!: IncidentStatus;

  @Property({ type: 'boolean', default: false })
  flapping: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  snoozedUntil: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  firstSeenAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastSeenAt!: Date;

  @Property({ type: 'integer', default: 1 })
  occurrences: number = 1;

  /** Consecutive healthy observations since the last firing one. */
  @Property({ type: 'integer', default: 0 })
  healthyStreak: number = 0;

  @Property({ type: 'smallint', default: 1 })
  resolveAfter: number = 1;

  @Property({ type: 'integer', default: 0 })
  reopenCount: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;

  /** The API key that acknowledged it (cleared when it is reopened). */
  @Property({ type: 'uuid', nullable: true })
  acknowledgedBy: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null = null;

  /** The newest evidence, a copy (the runs it names may be gone one day). */
  @Property({ type: 'jsonb' })
  evidence: Record<string, unknown> = {};
}
