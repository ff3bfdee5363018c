import type { EntityManager } from '@mikro-orm/postgresql';
import { requireIsoDuration } from '../../common/iso-duration.js';
import type { IncidentSignal } from '../../incidents/incident-signal.js';
import { judgePoint, type AnomalyVerdict } from '../../quality/anomaly.js';
import type { MetricAnomalyParams, MetricThresholdParams } from '../data-monitor-params.js';
import { DATA_CANDIDATES, PREVIOUS_POINTS, SAVE_STATES, TEST_RESULTS, TRAINING_POINTS, type DataCandidateRow } from './data.sql.js';
import { judgeThreshold, type PointEvidence } from './data-verdicts.js';

const iso = (at: string | Date) => new Date(at).toISOString();

/** Where a judged (monitor, series) got to, as SAVE_STATES takes it. */
interface JudgedState {
  monitor_id: string;
  series_id: string;
  recorded_at: string;
  metric_id: string;
  verdict: Record<string, unknown>;
  exclude: boolean;
}

interface Judged {
  signals: IncidentSignal[];
  states: JudgedState[];
}

function pointOf(c: DataCandidateRow): PointEvidence {
  return {
    series_id: c.series_id,
    pipeline_name: c.pipeline_name,
    dataset: c.dataset_name === null ? null : { namespace: c.dataset_namespace as string, name: c.dataset_name },
    column: c.column_name,
    metric_type: c.metric_type,
    value: c.last_value,
    recorded_at: iso(c.last_recorded_at),
    metric_id: c.last_metric_id,
  };
}

/** The signal of one judged (monitor, series, subject): the incident carries the series' pipeline and dataset. */
function signalOf(c: DataCandidateRow, subject: string, firing: boolean, evidence: Record<string, unknown>): IncidentSignal {
  return {
    monitorId: c.monitor_id,
    kind: c.kind,
    severity: c.severity,
    pipelineName: c.pipeline_name,
    dataset: c.dataset_name === null ? null : { namespace: c.dataset_namespace as string, name: c.dataset_name, column: c.column_name },
    subject,
    firing,
    evidence,
    resolveAfter: c.resolve_after,
  };
}

const stateOf = (c: DataCandidateRow, verdict: Record<string, unknown>, exclude = false): JudgedState => ({
  monitor_id: c.monitor_id,
  series_id: c.series_id,
  recorded_at: c.last_recorded_at,
  metric_id: c.last_metric_id,
  verdict,
  exclude,
});

async function thresholds(em: EntityManager, candidates: DataCandidateRow[]): Promise<Judged> {
  if (candidates.length === 0) return { signals: [], states: [] };
  const needPrevious = [...new Set(candidates.filter((c) => 'max_change_pct' in c.params).map((c) => c.series_id))];
  const previous = new Map(needPrevious.length ? (await PREVIOUS_POINTS.run(em, { seriesIds: needPrevious })).map((r) => [r.series_id, r]) : []);
  const judged: Judged = { signals: [], states: [] };
  for (const c of candidates) {
    const prev = previous.get(c.series_id);
    const verdict = judgeThreshold(c.last_value, c.params as MetricThresholdParams, {
      value: prev?.previous_value ?? null,
      recorded_at: prev?.previous_recorded_at ? iso(prev.previous_recorded_at) : null,
    });
    const evidence = { ...pointOf(c), ...verdict };
    judged.signals.push(signalOf(c, c.series_id, verdict.firing, evidence));
    judged.states.push(stateOf(c, evidence));
  }
  return judged;
}

async function tests(em: EntityManager, candidates: DataCandidateRow[]): Promise<Judged> {
  if (candidates.length === 0) return { signals: [], states: [] };
  const pairs = candidates.map((c) => ({ monitor_id: c.monitor_id, series_id: c.series_id, after_at: c.judged_recorded_at, after_id: c.judged_metric_id }));
  const results = await TEST_RESULTS.run(em, { pairs: JSON.stringify(pairs) });
  const byPair = Map.groupBy(results, (r) => `${r.monitor_id}:${r.series_id}`);
  const judged: Judged = { signals: [], states: [] };
  for (const c of candidates) {
    const point = pointOf(c);
    const latest = byPair.get(`${c.monitor_id}:${c.series_id}`) ?? [];
    const verdicts = latest.map((r) => ({
      test: r.test,
      success: r.success,
      failing_rows: r.failing_rows,
      recorded_at: iso(r.recorded_at),
      metric_id: r.metric_id,
    }));
    for (const [i, r] of latest.entries()) {
      const evidence = { ...verdicts[i], dataset: point.dataset, column: point.column, pipeline_name: point.pipeline_name, series_id: c.series_id, assertion: r.details };
      judged.signals.push(signalOf(c, `${c.series_id}:${r.test}`, !r.success, evidence));
    }
    judged.states.push(stateOf(c, { ...point, tests: verdicts }));
  }
  return judged;
}

async function anomalies(em: EntityManager, candidates: DataCandidateRow[]): Promise<Judged> {
  if (candidates.length === 0) return { signals: [], states: [] };
  const pairs = candidates.map((c) => ({
    monitor_id: c.monitor_id,
    series_id: c.series_id,
    training: `${requireIsoDuration((c.params as MetricAnomalyParams).training, '/params/training')} milliseconds`,
    baseline_from: c.baseline_from,
    excluded: c.excluded_metric_ids ?? [],
  }));
  const training = new Map((await TRAINING_POINTS.run(em, { pairs: JSON.stringify(pairs) })).map((r) => [`${r.monitor_id}:${r.series_id}`, r]));
  const judged: Judged = { signals: [], states: [] };
  for (const c of candidates) {
    const params = c.params as MetricAnomalyParams;
    const t = training.get(`${c.monitor_id}:${c.series_id}`);
    const points = (t?.values ?? []).map((value, i) => ({ value, at: new Date((t?.recorded_ats ?? [])[i]) }));
    const verdict: AnomalyVerdict = judgePoint({ value: c.last_value, at: new Date(c.last_recorded_at) }, points, {
      seasonality: params.seasonality,
      direction: params.direction,
      sensitivity: params.sensitivity,
      minAbsChange: params.min_abs_change,
      minRelChange: params.min_rel_change,
    });
    const evidence = { ...pointOf(c), ...verdict, training: params.training, baseline_from: c.baseline_from ? iso(c.baseline_from) : null };
    // Too little history is no signal either way: the verdict is kept in the state (GET /v1/monitors/{id}).
    if (verdict.verdict !== 'insufficient_history') judged.signals.push(signalOf(c, c.series_id, verdict.verdict === 'anomaly', evidence));
    judged.states.push(stateOf(c, evidence, verdict.verdict === 'anomaly'));
  }
  return judged;
}

/**
 * The data monitors at `now`: every (monitor, series) whose newest point moved since it was last judged,
 * judged by its kind, in a few set-based statements whatever the number of monitors and series; the states
 * are saved in one upsert, in the tick's transaction.
 */
export async function dataSignals(em: EntityManager, now: Date): Promise<IncidentSignal[]> {
  const candidates = await DATA_CANDIDATES.run(em, {});
  if (candidates.length === 0) return [];
  const parts = [
    await thresholds(em, candidates.filter((c) => c.kind === 'metric_threshold')),
    await tests(em, candidates.filter((c) => c.kind === 'test_failed')),
    await anomalies(em, candidates.filter((c) => c.kind === 'metric_anomaly')),
  ];
  await SAVE_STATES.run(em, { now, states: JSON.stringify(parts.flatMap((p) => p.states)) });
  return parts.flatMap((p) => p.signals);
}
