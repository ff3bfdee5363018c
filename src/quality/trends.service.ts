import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { InvalidRequestError } from '../common/invalid-request.error.js';
import { windowInterval } from '../common/window.js';
import { scorePoint } from './anomaly.js';
import type { AnomaliesQuery, AnomaliesResponse, LatestQuery, LatestResponse, SeriesQuery, SeriesResponse } from './dto/trends.query.js';
import { subjectOf } from './series-subject.js';
import { detectionPoints, latestStatement, seriesStatement, trainingStats } from './trends.sql.js';

const BUCKET = { '5m': { ms: 300_000, sql: '5 minutes' }, '1h': { ms: 3_600_000, sql: '1 hour' }, '1d': { ms: 86_400_000, sql: '1 day' } } as const;
export const MAX_POINTS = 10_000;
const DEFAULT_SPAN_MS = 30 * 86_400_000;

@Injectable()
export class TrendsService {
  constructor(@Inject(EntityManager) private readonly em: EntityManager) {}

  async latest(query: LatestQuery): Promise<LatestResponse> {
    const { shape, values, echo } = subjectOf(query);
    const types = query.metric_type ?? [];
    const data = await latestStatement({ ...shape, types: types.length > 0 }).run(this.em, { ...values, types });
    return { ...echo, data };
  }

  /** Buckets are aligned to the Unix epoch in UTC; `from` is rounded down to a bucket boundary. */
  async series(query: SeriesQuery): Promise<SeriesResponse> {
    const subject = subjectOf(query);
    const bucket = BUCKET[query.bucket ?? '1h'];
    const agg = query.agg ?? 'avg';
    const to = query.to ? Date.parse(query.to) : Date.now();
    const from = Math.floor((query.from ? Date.parse(query.from) : to - DEFAULT_SPAN_MS) / bucket.ms) * bucket.ms;
    if (from >= to) throw new InvalidRequestError({ in: 'query', pointer: '/from', detail: 'must be before to' });
    if ((to - from) / bucket.ms > MAX_POINTS) {
      throw new InvalidRequestError({ in: 'query', pointer: '/bucket', detail: `gives more than ${MAX_POINTS} points for this range; use a larger bucket` });
    }
    // `to` goes to SQL as given, so the half-open bound keeps its microseconds.
    const [fromIso, toIso] = [new Date(from).toISOString(), query.to ?? new Date(to).toISOString()];
    const bucketName = query.bucket ?? '1h';
    const series = seriesStatement({ agg, wholeHours: bucketName !== '5m', subject: subject.shape });
    const points = await series.run(this.em, { ...subject.values, type: query.metric_type, from: fromIso, to: toIso, bucket: bucket.sql });
    return { ...subject.echo, metric_type: query.metric_type, bucket: bucketName, agg, from: fromIso, to: toIso, points };
  }

  /**
   * Each point of the detection window (the last `detection`) scored against the training window just
   * before it (the `training` before that): one baseline for all of them, which the points being judged
   * do not move.
   */
  async anomalies(query: AnomaliesQuery): Promise<AnomaliesResponse> {
    const { shape, values, echo } = subjectOf(query);
    const training = query.training ?? '14d';
    const detection = query.detection ?? '2d';
    const sensitivity = query.sensitivity ?? 3;
    const [trainingSql, detectionSql] = [windowInterval(training, 'training'), windowInterval(detection, 'detection')];
    const type = query.metric_type;
    const rows = await detectionPoints(shape).run(this.em, { ...values, type, detection: detectionSql });
    if (rows.length > MAX_POINTS) {
      throw new InvalidRequestError({ in: 'query', pointer: '/detection', detail: `holds more than ${MAX_POINTS} points; use a shorter window` });
    }
    const [stats] = await trainingStats(shape).run(this.em, { ...values, type, detection: detectionSql, training: trainingSql });
    const points = rows.map(({ metric_id, recorded_at, value }) => ({ metric_id, recorded_at, value, ...scorePoint(value, stats, sensitivity) }));
    return { ...echo, metric_type: type, training, detection, sensitivity, baseline: stats, points };
  }
}
