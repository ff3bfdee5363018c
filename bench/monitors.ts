// The monitors tick (issue 17): MonitorsTick.evaluate over 10,000 enabled monitors of every time-driven kind
// and 200,000 runs, as one tick runs it (one transaction, rolled back after each round so that every round
// sees the same due cron deadlines). Target: < 2 s per tick.
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { monitorLoadSql } from '../test/support/monitor-load.js';
import type { Measure } from './load.js';
import type { BenchContext, Scenario } from './scenario.js';
import { latencies, percentile, round } from './support.js';

type OrmOptionsModule = typeof import('../src/database/orm-options.js');
type ConfigModule = typeof import('../src/config/app.config.js');
type TickModule = typeof import('../src/monitors/evaluation/monitors-tick.service.js');
type DataSignalsModule = typeof import('../src/monitors/evaluation/data-signals.js');

const NOW = '2026-12-04T12:00:00Z';
const stats = (sorted: number[]): Measure => ({ p50: round(percentile(sorted, 0.5), 1), p99: round(percentile(sorted, 0.99), 1), errors: 0 });

class Rollback extends Error {}

const tick: Scenario = {
  name: 'monitors-tick',
  description: 'MonitorsTick.evaluate: 10,000 monitors (max_age, cron, auto, duration, stalled) over 200,000 runs, one tick',
  async run(ctx: BenchContext) {
    const [pipelines, days, rounds] = ctx.smoke ? [200, 30, 3] : [2_000, 100, 20];
    const url = await ctx.freshDatabase('monitors_tick');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const seeding = performance.now();
    for (const statement of monitorLoadSql(NOW, pipelines, days)) await client.query(statement);
    await client.end();
    const seedMs = performance.now() - seeding;

    const { buildOrmOptions } = await ctx.appModule<OrmOptionsModule>('src/database/orm-options.js');
    const { loadConfig } = await ctx.appModule<ConfigModule>('src/config/app.config.js');
    const { MonitorsTick } = await ctx.appModule<TickModule>('src/monitors/evaluation/monitors-tick.service.js');
    const orm = await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }), { logger: () => undefined }));
    const evaluator = new MonitorsTick();
    const signals: number[] = [];
    try {
      const times = await latencies(rounds, async () => {
        await orm.em.fork().transactional(async (em) => {
          signals.push((await evaluator.evaluate(em, new Date(NOW))).length);
          throw new Rollback();
        }).catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      });
      const app = stats(times);
      return {
        rows: [{ measure: `one tick, ${pipelines * 5} monitors, ${pipelines * days} runs`, unit: 'ms', app, target: 'p50 < 2000 ms', met: app.p50 < 2_000 }],
        details: { seedMs: round(seedMs), rounds, signalsPerTick: signals[0], now: NOW },
      };
    } finally {
      await orm.close(true);
    }
  },
};

/**
 * `pipelines` dbt-like pipelines, each reporting the row count of `tables` tables once a day for `days`
 * days (weekends lower), and one metric_anomaly monitor per pipeline (day_of_week, P28D) fanning out to its
 * tables' series: pipelines × tables series, every one with a new point to judge.
 */
function dataMonitorLoadSql(now: string, pipelines: number, tables: number, days: number): string[] {
  return [
    `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at, dataset_namespace, dataset_name)
     select gen_random_uuid(), 'dbt_' || p, 'row_count',
            case when extract(isodow from t) >= 6 then 20000 else 50000 end + ((p * 7919 + d * 104729 + k * 31) % 1000),
            t, 'postgres://warehouse:5432', 'public.t' || k
       from generate_series(1, ${pipelines}) p, generate_series(1, ${tables}) k, generate_series(0, ${days - 1}) d,
            lateral (select timestamptz '${now}' - (d || ' days')::interval - interval '6 hours' as t) x`,
    `insert into monitors (id, name, pipeline_name, kind, severity, params, resolve_after, enabled)
     select gen_random_uuid(), 'anomaly dbt_' || p, 'dbt_' || p, 'metric_anomaly', 'warning',
            '{"metric_type": "row_count", "seasonality": "day_of_week", "direction": "both", "training": "P28D", "sensitivity": 3.5, "min_abs_change": 0, "min_rel_change": 0.1}'::jsonb, 1, true
       from generate_series(1, ${pipelines}) p`,
    'analyze',
  ];
}

const dataTick: Scenario = {
  name: 'data-monitors-tick',
  description: 'dataSignals: metric_anomaly verdicts for 10,000 series (100 monitors × 100 tables, 35 days of daily points), one tick',
  async run(ctx: BenchContext) {
    const [pipelines, tables, days, rounds] = ctx.smoke ? [10, 10, 35, 3] : [100, 100, 35, 10];
    const url = await ctx.freshDatabase('data_monitors_tick');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const seeding = performance.now();
    for (const statement of dataMonitorLoadSql(NOW, pipelines, tables, days)) await client.query(statement);
    await client.end();
    const seedMs = performance.now() - seeding;

    const { buildOrmOptions } = await ctx.appModule<OrmOptionsModule>('src/database/orm-options.js');
    const { loadConfig } = await ctx.appModule<ConfigModule>('src/config/app.config.js');
    const { dataSignals } = await ctx.appModule<DataSignalsModule>('src/monitors/evaluation/data-signals.js');
    const orm = await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }), { logger: () => undefined }));
    const signals: number[] = [];
    try {
      // Rolled back after each round, so that every round judges every series afresh.
      const times = await latencies(rounds, async () => {
        await orm.em.fork().transactional(async (em) => {
          signals.push((await dataSignals(em, new Date(NOW))).length);
          throw new Rollback();
        }).catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      });
      const app = stats(times);
      const series = pipelines * tables;
      return {
        rows: [{ measure: `anomaly verdicts for ${series} series, one tick`, unit: 'ms', app, target: 'p50 < 2000 ms', met: app.p50 < 2_000 }],
        details: { seedMs: round(seedMs), rounds, signalsPerTick: signals[0], metrics: series * days, now: NOW },
      };
    } finally {
      await orm.close(true);
    }
  },
};

export const scenarios: Scenario[] = [tick, dataTick];
