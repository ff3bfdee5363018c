/**
 * What a monitor tells the incidents module, for one subject at one evaluation: the condition holds
 * (`firing`) or it was observed healthy. The incidents module turns signals into incident changes
 * (open, re-fire, auto-resolve, reopen, flapping) by its transition table, and writes the outbox rows in
 * the caller's transaction. Monitors never write incidents themselves.
 */
export const MONITOR_KINDS = ['run_failed', 'freshness', 'duration', 'stalled', 'metric_threshold', 'test_failed', 'metric_anomaly'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];
/** The kinds that watch a pipeline's runs: they need a pipeline_name and take no dataset. */
export const RUN_KINDS = ['run_failed', 'freshness', 'duration', 'stalled'] as const;
/** The kinds that watch reported data (metrics and test results): they target a pipeline, a dataset or a column. */
export const DATA_KINDS = ['metric_threshold', 'test_failed', 'metric_anomaly'] as const;
export type DataMonitorKind = (typeof DATA_KINDS)[number];
export const isDataKind = (kind: MonitorKind): kind is DataMonitorKind => (DATA_KINDS as readonly string[]).includes(kind);

export const SEVERITIES = ['warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface IncidentSignal {
  /** The monitor that evaluated; null for the built-in default run_failed monitor. */
  monitorId: string | null;
  kind: MonitorKind;
  severity: Severity;
  /** The pipeline the incident belongs to (for run_failed: the top-level run's pipeline; data kinds: the reporting pipeline). */
  pipelineName: string;
  /** Data kinds: the dataset (and column) the series is about, copied onto the incident; absent for run kinds. */
  dataset?: { namespace: string; name: string; column: string | null } | null;
  /**
   * What the problem is about within its monitor; with the monitor it makes the dedupe key, so one open
   * incident per (monitor, subject). run_failed and freshness: the pipeline name (one ongoing problem per
   * pipeline); duration and stalled: the execution id (one per run); metric_threshold and metric_anomaly: the
   * series id (metric_series); test_failed: the series id and the assertion name (`<series_id>:<name>`).
   */
  subject: string;
  /** true: the condition holds now; false: a healthy observation (counts towards auto-resolve). */
  firing: boolean;
  /** Why, as a user reads it: the run and its error, the deadline missed, the children that failed. */
  evidence: Record<string, unknown>;
  /**
   * Consecutive healthy observations that resolve the incident (the monitor's resolve_after); default 1.
   * Copied onto the incident at every signal, so a changed monitor applies from its next evaluation.
   */
  resolveAfter?: number;
}

/** The dedupe key of a signal: the unique partial index on open incidents is on this. */
export function dedupeKey(signal: Pick<IncidentSignal, 'monitorId' | 'kind' | 'subject'>): string {
  return `${signal.monitorId ?? `default:${signal.kind}`}:${signal.subject}`;
}
