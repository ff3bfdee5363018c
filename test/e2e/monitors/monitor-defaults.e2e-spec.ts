import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MonitorDefaultsService } from '../../../src/monitors/monitor-defaults.service.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { sql } from '../../support/test-database.js';

const effective = async (app: Parameters<typeof http>[0], pipeline: string) =>
  (await http(app).get('/v1/monitor-defaults/effective').query({ pipeline_name: pipeline }).expect(200)).body as { run_failed: boolean; decided_by: string; namespace: string | null };

describe('the default run_failed monitor: global, per namespace, per pipeline', () => {
  const f = useApp();

  it('applies by default; a namespace switch turns it off for `namespace/…`, the longest namespace wins, a pipeline switch beats both', async () => {
    const app = f.t.app;
    expect(await effective(app, 'airflow/orders_dag')).toMatchObject({ run_failed: true, decided_by: 'global' });
    await http(app).put('/v1/monitor-defaults').send({ scope: 'namespace', name: 'airflow', run_failed: false }).expect(200);
    expect(await effective(app, 'airflow/orders_dag')).toMatchObject({ run_failed: false, decided_by: 'namespace', namespace: 'airflow' });
    // "airflow" does not cover "airflow2/x": a namespace is matched with its slash.
    expect(await effective(app, 'airflow2/x')).toMatchObject({ run_failed: true, decided_by: 'global' });
    await http(app).put('/v1/monitor-defaults').send({ scope: 'namespace', name: 'airflow/prod', run_failed: true }).expect(200);
    expect(await effective(app, 'airflow/prod/load')).toMatchObject({ run_failed: true, namespace: 'airflow/prod' });
    await http(app).put('/v1/monitor-defaults').send({ scope: 'pipeline', name: 'airflow/orders_dag', run_failed: true }).expect(200);
    expect(await effective(app, 'airflow/orders_dag')).toMatchObject({ run_failed: true, decided_by: 'pipeline' });
    expect(await app.get(MonitorDefaultsService).applies('airflow/orders_dag')).toBe(true);
    expect(await app.get(MonitorDefaultsService).applies('airflow/other')).toBe(false);

    await http(app).delete('/v1/monitor-defaults').query({ scope: 'pipeline', name: 'airflow/orders_dag' }).expect(204);
    await http(app).delete('/v1/monitor-defaults').query({ scope: 'pipeline', name: 'airflow/orders_dag' }).expect(404);
    expect(await effective(app, 'airflow/orders_dag')).toMatchObject({ run_failed: false, decided_by: 'namespace' });
    const list = (await http(app).get('/v1/monitor-defaults').expect(200)).body;
    expect(list.next_cursor).toBeNull();
    expect(list.data.map((d: { scope: string; name: string; run_failed: boolean }) => [d.scope, d.name, d.run_failed])).toEqual([
      ['namespace', 'airflow', false],
      ['namespace', 'airflow/prod', true],
    ]);
    // Paged like the other lists: a keyset cursor on (scope, name).
    const first = (await http(app).get('/v1/monitor-defaults').query({ limit: 1 }).expect(200)).body;
    expect(first.data.map((d: { name: string }) => d.name)).toEqual(['airflow']);
    const second = (await http(app).get('/v1/monitor-defaults').query({ limit: 1, cursor: first.next_cursor }).expect(200)).body;
    expect(second).toMatchObject({ data: [{ name: 'airflow/prod' }], next_cursor: null });
    await http(app).get('/v1/monitor-defaults').query({ cursor: 'garbage' }).expect(400);
  });

  it('a pipeline with its own enabled run_failed monitor does not also get the default; disabling it brings the default back', async () => {
    const app = f.t.app;
    const made = await http(app).post('/v1/monitors').send({ pipeline_name: 'own_rf', kind: 'run_failed', severity: 'warning' }).expect(201);
    expect(await effective(app, 'own_rf')).toMatchObject({ run_failed: false, decided_by: 'own_monitor', monitor_id: made.body.id });
    await http(app).delete(`/v1/monitors/${made.body.id}`).expect(200);
    expect(await effective(app, 'own_rf')).toMatchObject({ run_failed: true, decided_by: 'global' });
  });

  it('a read key reads the switches but cannot set them; bad input writes nothing', async () => {
    const app = f.t.app;
    const reader = (await http(app).post('/v1/api-keys').send({ name: 'reader', scopes: ['read'] }).expect(201)).body.key as string;
    const count = async () => (await sql<{ n: number }>(f.db.url, 'select count(*)::int as n from monitor_defaults'))[0].n;
    const before = await count();
    await request(app.getHttpServer()).put('/v1/monitor-defaults').set('authorization', `Bearer ${reader}`).send({ scope: 'pipeline', name: 'x', run_failed: false }).expect(403);
    await request(app.getHttpServer()).get('/v1/monitor-defaults').set('authorization', `Bearer ${reader}`).expect(200);
    const bad = await http(app).put('/v1/monitor-defaults').send({ scope: 'team', name: 'x', run_failed: false }).expect(400);
    expect(bad.body.errors[0].pointer).toBe('/scope');
    await http(app).put('/v1/monitor-defaults').send({ scope: 'pipeline', name: 'x', run_failed: 'no' }).expect(400);
    expect(await count()).toBe(before);
  });
});

describe('MONITORS_DEFAULT_RUN_FAILED=false: off everywhere but where a switch turns it on', () => {
  const f = useApp({ MONITORS_DEFAULT_RUN_FAILED: 'false' });

  it('is off globally, on for a namespace switched on', async () => {
    expect(await effective(f.t.app, 'dbt/models')).toMatchObject({ run_failed: false, decided_by: 'global' });
    await http(f.t.app).put('/v1/monitor-defaults').send({ scope: 'namespace', name: 'dbt', run_failed: true }).expect(200);
    expect(await effective(f.t.app, 'dbt/models')).toMatchObject({ run_failed: true, decided_by: 'namespace' });
  });
});
