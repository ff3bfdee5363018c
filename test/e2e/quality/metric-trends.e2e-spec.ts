import { beforeAll, describe, expect, it } from '@jest/globals';
import { bootApp, useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { metric } from '../../support/quality-fixtures.js';
import { sql } from '../../support/test-database.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stddev = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('latest values, series and anomalies', () => {
  const f = useApp();
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();

  async function record(metrics: object[]) {
    await http(f.t.app).post('/v1/metrics/batch').send({ metrics }).expect(201);
  }


  beforeAll(async () => {
    const at = (time: string, value: number, type = 'row_count') => metric({ pipeline_name: 'series_etl', metric_type: type, metric_value: value, recorded_at: `2026-10-01T${time}Z` });
    await record([
      metric({ pipeline_name: 'series_etl', metric_value: 100, recorded_at: '2026-09-30T23:59:59Z' }),
      at('00:10:00', 10),
      at('00:40:00', 20),
      at('00:50:00', 30),
      at('02:05:00', 5),
      at('03:00:00', 7),
      at('03:59:59.999', 9),
      at('05:00:00', 100),
      at('01:30:00', 999, 'null_rate'),
    ]);
    const pt = (type: string, msAgo: number, value: number) => metric({ pipeline_name: 'anomaly_etl', metric_type: type, metric_value: value, recorded_at: ago(msAgo) });
    await record([
      ...[10, 12, 14, 16, 18].map((v, i) => pt('steady', (10 - i) * DAY, v)),
      pt('steady', DAY, 30),
      pt('steady', HOUR, 14),
      // 0.1 has no exact binary form: PostgreSQL's stddev of these is ~1e-17, not 0.
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => pt('flat', 5 * DAY - i * 0.4 * DAY, 0.1)),
      pt('flat', DAY, 0.1),
      pt('young', 3 * DAY, 1),
      pt('young', DAY, 2),
    ]);
  });

  describe('GET /v1/metrics/latest', () => {
    it('gives the newest value of each metric type, by type', async () => {
      const res = await http(f.t.app).get('/v1/metrics/latest').query({ pipeline_name: 'series_etl' }).expect(200);
      f.contract.check('GET', '/v1/metrics/latest', res);
      expect(res.body.data.map((m: { metric_type: string; metric_value: number }) => [m.metric_type, m.metric_value])).toEqual([
        ['null_rate', 999],
        ['row_count', 100],
      ]);
      const one = await http(f.t.app).get('/v1/metrics/latest').query({ pipeline_name: 'anomaly_etl', metric_type: ['flat', 'missing'] }).expect(200);
      expect(one.body.data.map((m: { metric_value: number }) => m.metric_value)).toEqual([0.1]);
      expect((await http(f.t.app).get('/v1/metrics/latest').query({ pipeline_name: 'nobody' }).expect(200)).body.data).toEqual([]);
    });
  });

  describe('GET /v1/metrics/series', () => {
    const query = { pipeline_name: 'series_etl', metric_type: 'row_count', from: '2026-10-01T00:00:00Z', to: '2026-10-01T05:00:00Z', bucket: '1h' };
    // Buckets 00h..04h: [10, 20, 30], [], [5], [7, 9], []; the points just outside the range are left out.
    it.each([
      ['avg', [20, null, 5, 8, null]],
      ['min', [10, null, 5, 7, null]],
      ['max', [30, null, 5, 9, null]],
      ['sum', [60, null, 5, 16, null]],
      ['count', [3, 0, 1, 2, 0]],
      ['last', [30, null, 5, 9, null]],
    ])('agg=%s gives one point per bucket, empty buckets included', async (agg, values) => {
      const res = await http(f.t.app).get('/v1/metrics/series').query({ ...query, agg }).expect(200);
      f.contract.check('GET', '/v1/metrics/series', res);
      expect(res.body.points).toEqual(
        values.map((value, h) => ({ bucket_start: `2026-10-01T0${h}:00:00.000000Z`, value, count: [3, 0, 1, 2, 0][h] })),
      );
    });

    it('keeps daily buckets in UTC whatever the database time zone, across a daylight-saving change', async () => {
      await sql(f.db.url, `alter database "${f.db.name}" set timezone = 'Europe/Berlin'`);
      // A second instance, so that every connection it opens starts after the change of default.
      const berlin = await bootApp(f.db.url);
      try {
        const pt = (day: string) => metric({ pipeline_name: 'tz_etl', metric_value: 1, recorded_at: `2026-10-${day}T12:00:00Z` });
        await http(berlin.app).post('/v1/metrics/batch').send({ metrics: ['24', '25', '26', '27'].map(pt) }).expect(201);
        const res = await http(berlin.app)
          .get('/v1/metrics/series')
          .query({ pipeline_name: 'tz_etl', metric_type: 'row_count', from: '2026-10-24T00:00:00Z', to: '2026-10-28T00:00:00Z', bucket: '1d', agg: 'count' })
          .expect(200);
        expect(res.body.points.map((p: { bucket_start: string; count: number }) => [p.bucket_start, p.count])).toEqual(
          ['24', '25', '26', '27'].map((d) => [`2026-10-${d}T00:00:00.000000Z`, 1]),
        );
      } finally {
        await berlin.close();
        await sql(f.db.url, `alter database "${f.db.name}" reset timezone`);
      }
    });

    it('rounds from down to a bucket boundary, and answers 400 for an empty range or too many buckets', async () => {
      const res = await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: '2026-10-01T00:30:00Z', bucket: '1d', agg: 'count' }).expect(200);
      expect(res.body).toMatchObject({ from: '2026-10-01T00:00:00.000Z', points: [{ bucket_start: '2026-10-01T00:00:00.000000Z', value: 6, count: 6 }] });
      await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: query.to }).expect(400);
      const many = await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: '2020-01-01T00:00:00Z', bucket: '5m' }).expect(400);
      expect(many.body.errors[0].pointer).toBe('/bucket');
    });
  });

  describe('GET /v1/metrics/anomalies', () => {
    type Scored = { value: number; z_score: number | null; anomaly: boolean; reason: string | null };
    const anomalies = async (metric_type: string, extra: Record<string, unknown> = {}) => {
      const res = await http(f.t.app).get('/v1/metrics/anomalies').query({ pipeline_name: 'anomaly_etl', metric_type, ...extra }).expect(200);
      f.contract.check('GET', '/v1/metrics/anomalies', res);
      return res.body as { baseline: { count: number; mean: number | null; stddev: number | null }; points: Scored[] };
    };
    const scores = async (metric_type: string, extra: Record<string, unknown> = {}) => (await anomalies(metric_type, extra)).points;

    it('scores the last 2 days against the 14 days before them: a spike is an anomaly, a usual value is not', async () => {
      const { baseline, points } = await anomalies('steady');
      const history = [10, 12, 14, 16, 18];
      expect(baseline.count).toBe(5);
      expect(baseline.mean).toBeCloseTo(mean(history), 9);
      expect(baseline.stddev).toBeCloseTo(stddev(history), 9);
      const [spike, usual] = points;
      expect(spike.z_score).toBeCloseTo((30 - 14) / stddev(history), 9);
      expect(spike.anomaly).toBe(true);
      // The spike is in the detection window, so it does not move the baseline the next point is judged by.
      expect(usual).toMatchObject({ value: 14, anomaly: false });
      expect(usual.z_score).toBeCloseTo(0, 9);
    });

    it('a training window that ends where detection begins: a wider detection window pulls history out of training', async () => {
      const { baseline } = await anomalies('steady', { detection: '7d', training: '14d' });
      expect(baseline.count).toBe(4); // -10d .. -7d; the point at -6d is now being judged
      expect((await anomalies('steady', { detection: '7d' })).points.map((p) => p.value)).toEqual([18, 30, 14]);
    });

    it('sensitivity moves the threshold', async () => {
      const [spike] = await scores('steady', { sensitivity: 6 });
      expect(spike.anomaly).toBe(false);
    });

    it('scores 0 against a flat history, and gives a null score with the reason when history is too short', async () => {
      expect(await scores('flat')).toEqual([expect.objectContaining({ value: 0.1, z_score: 0, anomaly: false, reason: null })]);
      const young = await anomalies('young');
      expect(young.baseline.count).toBe(1);
      expect(young.points).toEqual([expect.objectContaining({ value: 2, z_score: null, anomaly: false })]);
      expect(young.points[0].reason).toMatch(/insufficient history/);
    });

    it('only scores points within the detection window', async () => {
      expect(await scores('steady', { detection: '2h' })).toHaveLength(1);
      expect(await scores('steady', { detection: '30m' })).toEqual([]);
    });
  });
});
