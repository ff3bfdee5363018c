import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from './support/app.js';
import { http } from './support/audit-fixtures.js';
import { metric } from './support/quality-fixtures.js';

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
      ...[0, 1, 2, 3].map((i) => pt('flat', 5 * DAY - i * 0.5 * DAY, 5)),
      pt('flat', DAY, 9),
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
      expect(one.body.data.map((m: { metric_value: number }) => m.metric_value)).toEqual([9]);
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

    it('rounds from down to a bucket boundary, and answers 400 for an empty range or too many buckets', async () => {
      const res = await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: '2026-10-01T00:30:00Z', bucket: '1d', agg: 'count' }).expect(200);
      expect(res.body).toMatchObject({ from: '2026-10-01T00:00:00.000Z', points: [{ bucket_start: '2026-10-01T00:00:00.000000Z', value: 6, count: 6 }] });
      await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: query.to }).expect(400);
      const many = await http(f.t.app).get('/v1/metrics/series').query({ ...query, from: '2020-01-01T00:00:00Z', bucket: '5m' }).expect(400);
      expect(many.body.errors[0].pointer).toBe('/bucket');
    });
  });

  describe('GET /v1/metrics/anomalies', () => {
    const scores = async (metric_type: string, extra: Record<string, unknown> = {}) => {
      const res = await http(f.t.app).get('/v1/metrics/anomalies').query({ pipeline_name: 'anomaly_etl', metric_type, ...extra }).expect(200);
      f.contract.check('GET', '/v1/metrics/anomalies', res);
      return res.body.points as { value: number; z_score: number | null; anomaly: boolean; reason: string | null; training: { count: number } }[];
    };

    it('scores each recent point against the 14 days before it: a spike is an anomaly, the next point is not', async () => {
      const [spike, after] = await scores('steady');
      const history = [10, 12, 14, 16, 18];
      expect(spike.training.count).toBe(5);
      expect(spike.z_score).toBeCloseTo((30 - mean(history)) / stddev(history), 9);
      expect(spike.anomaly).toBe(true);
      const withSpike = [...history, 30];
      expect(after.training.count).toBe(6);
      expect(after.z_score).toBeCloseTo((14 - mean(withSpike)) / stddev(withSpike), 9);
      expect(after.anomaly).toBe(false);
    });

    it('sensitivity moves the threshold', async () => {
      const [spike] = await scores('steady', { sensitivity: 6 });
      expect(spike.anomaly).toBe(false);
    });

    it('scores 0 against a flat history, and gives a null score with the reason when history is too short', async () => {
      expect(await scores('flat')).toEqual([expect.objectContaining({ value: 9, z_score: 0, anomaly: false, reason: null })]);
      const [young] = await scores('young');
      expect(young).toMatchObject({ value: 2, z_score: null, anomaly: false, training: { count: 1 } });
      expect(young.reason).toMatch(/insufficient history/);
    });

    it('only scores points within the detection window', async () => {
      expect(await scores('steady', { detection: '2h' })).toHaveLength(1);
      expect(await scores('steady', { detection: '30m' })).toEqual([]);
    });
  });
});
