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

export const scenarios: Scenario[] = [tick];
