import { describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { DatabaseSeeder } from '../../../seeders/DatabaseSeeder.js';
import { MonitorsTickTask } from '../../../src/monitors/evaluation/monitors-tick.task.js';
import { CLOCK, type Clock } from '../../../src/jobs/clock.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';

// What `npm run db:seed` gives a fresh demo: a failing, a late and a long-running pipeline in the list, and
// the incidents the service's first monitor tick opens for the late and the long-running one, and for a
// table whose row count dropped and a column whose test failed.
describe('the demo data shows what is wrong', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });

  it('health in GET /v1/pipelines, and the first tick opens the freshness, duration, anomaly and failed-test incidents', async () => {
    const orm = f.t.app.get(MikroORM);
    await orm.seeder.seed(DatabaseSeeder);
    const health = async (name: string) => (await http(f.t.app).get(`/v1/pipelines/${name}`).expect(200)).body.health;
    expect(await health('billing_export')).toBe('failing');
    expect(await health('partner_feed_import')).toBe('late');
    expect(await health('warehouse_vacuum')).toBe('running');

    const now = f.t.app.get<Clock>(CLOCK).now();
    await orm.em.fork().transactional((em) => f.t.app.get(MonitorsTickTask).run({ em, now }));
    const open = (await http(f.t.app).get('/v1/incidents').expect(200)).body.data as { pipeline_name: string; kind: string; evidence: Record<string, unknown> }[];
    expect(open.map((i) => `${i.pipeline_name}:${i.kind}`).sort()).toEqual([
      'dbt_jaffle_shop:metric_anomaly',
      'dbt_jaffle_shop:test_failed',
      'partner_feed_import:freshness',
      'warehouse_vacuum:duration',
    ]);
    // The row-count drop of one table and the failed not-null test of one column, each named.
    const anomaly = open.find((i) => i.kind === 'metric_anomaly')!;
    expect(anomaly.evidence).toMatchObject({ verdict: 'anomaly', dataset: { namespace: 'postgres://warehouse:5432', name: 'analytics.public.orders' } });
    const test = open.find((i) => i.kind === 'test_failed')!;
    expect(test.evidence).toMatchObject({ dataset: { name: 'analytics.public.payments' }, column: 'amount', failing_rows: 12 });
    // The pipelines list counts them.
    const counts = async (name: string) => (await http(f.t.app).get(`/v1/pipelines/${name}`).expect(200)).body.open_incidents;
    expect([await counts('partner_feed_import'), await counts('warehouse_vacuum'), await counts('orders_daily_etl')]).toEqual([1, 1, 0]);
  });
});
