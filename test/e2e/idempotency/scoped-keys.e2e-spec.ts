import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useApp } from '../../support/app.js';
import { metric } from '../../support/quality-fixtures.js';
import { sql } from '../../support/test-database.js';

interface Client {
  id: string;
  key: string;
}

/**
 * Issue 16 point 6: an Idempotency-Key belongs to the API key that sent it and to the route. Two clients
 * that happen to choose the same key each get their own write and their own answer; only the owner gets
 * a replay or the 422 for reusing its key with another body.
 */
describe('Idempotency-Key is scoped per API key and route', () => {
  const f = useApp();
  const server = () => f.t.app.getHttpServer();
  let a: Client;
  let b: Client;

  const newClient = async (name: string): Promise<Client> =>
    (await request(server()).post('/v1/api-keys').set('authorization', `Bearer ${f.t.key}`).send({ name, scopes: ['ingest', 'read'] }).expect(201)).body as Client;
  const post = (client: Client, path: string, key: string, body: object) =>
    request(server()).post(path).set('authorization', `Bearer ${client.key}`).set('idempotency-key', key).send(body);
  const metricsOfType = async (type: string) =>
    (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from data_quality_metrics where metric_type = '${type}'`))[0].n;

  beforeAll(async () => {
    a = await newClient('client-a');
    b = await newClient('client-b');
  });

  it('two API keys sending the same key and body: each gets its own write and its own answer, then its own replay', async () => {
    const key = randomUUID();
    const body = metric({ metric_type: 'scoped.same_body' });

    const first = await post(a, '/v1/metrics', key, body).expect(201);
    const other = await post(b, '/v1/metrics', key, body).expect(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.metric_id).not.toBe(first.body.metric_id);
    expect(await metricsOfType('scoped.same_body')).toBe(2);

    const againA = await post(a, '/v1/metrics', key, body).expect(201);
    const againB = await post(b, '/v1/metrics', key, body).expect(201);
    expect([againA.headers['idempotent-replayed'], againB.headers['idempotent-replayed']]).toEqual(['true', 'true']);
    expect([againA.body, againB.body]).toEqual([first.body, other.body]);
    expect(await metricsOfType('scoped.same_body')).toBe(2);

    const rows = await sql<{ api_key_id: string; scope: string }>(f.db.url, `select api_key_id, scope from idempotency_keys where key = '${key}' order by created_at`);
    expect(rows).toEqual([
      { api_key_id: a.id, scope: 'POST /v1/metrics' },
      { api_key_id: b.id, scope: 'POST /v1/metrics' },
    ]);
  });

  it('another API key using the key with another body writes (201, not 422); the owner reusing it with another body still gets 422', async () => {
    const key = randomUUID();
    await post(a, '/v1/metrics', key, metric({ metric_type: 'scoped.other_body', metric_value: 1 })).expect(201);
    const other = await post(b, '/v1/metrics', key, metric({ metric_type: 'scoped.other_body', metric_value: 2 })).expect(201);
    expect(other.body.metric_value).toBe(2);
    expect(await metricsOfType('scoped.other_body')).toBe(2);

    const reused = await post(a, '/v1/metrics', key, metric({ metric_type: 'scoped.other_body', metric_value: 3 })).expect(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(await metricsOfType('scoped.other_body')).toBe(2);
  });

  it('the batch route: same key, two API keys, concurrent: one write each', async () => {
    const key = randomUUID();
    const body = { metrics: [metric({ metric_type: 'scoped.batch' }), metric({ metric_type: 'scoped.batch' })] };
    const answers = await Promise.all([a, b, a, b].map((client) => post(client, '/v1/metrics/batch', key, body)));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect(answers[0].body).toEqual(answers[2].body);
    expect(answers[1].body).toEqual(answers[3].body);
    expect(answers[0].body.metric_ids).not.toEqual(answers[1].body.metric_ids);
    expect(await metricsOfType('scoped.batch')).toBe(4);
  });

  it('one API key, one key, two routes: independent writes', async () => {
    const key = randomUUID();
    await post(a, '/v1/metrics', key, metric({ metric_type: 'scoped.routes' })).expect(201);
    const batch = await post(a, '/v1/metrics/batch', key, { metrics: [metric({ metric_type: 'scoped.routes' })] }).expect(201);
    expect(batch.headers['idempotent-replayed']).toBeUndefined();
    expect(await metricsOfType('scoped.routes')).toBe(2);
  });
});
