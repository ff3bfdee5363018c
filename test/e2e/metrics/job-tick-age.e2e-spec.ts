import { beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { useApp } from '../../support/app.js';
import { ManualClock } from '../../support/clock.js';
import { parseExposition, sampleOf } from '../../support/prometheus.js';
import { sql } from '../../support/test-database.js';
import { DatabaseGauges } from '../../../src/metrics/database-gauges.js';
import { OpsMetrics } from '../../../src/metrics/ops-metrics.service.js';

// The heartbeat's age as the scrape reads it from job_ticks, against a clock the test moves. The app runs
// without jobs, so only the rows this test writes are in job_ticks.
const AGE = 'pipeline_ledger_job_tick_age_seconds';

describe('pipeline_ledger_job_tick_age_seconds', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  const clock = new ManualClock('2026-12-04T12:00:30.000Z');
  let metrics: OpsMetrics;
  const age = async () => sampleOf(parseExposition(await metrics.scrape()), AGE, { task: 'jobs.heartbeat' });

  beforeAll(() => {
    metrics = new OpsMetrics();
    const config = { ...f.t.config, jobs: { ...f.t.config.jobs, enabled: true } };
    new DatabaseGauges(config, metrics, f.t.app.get(MikroORM), clock).onModuleInit();
  });

  it('has no sample before the first completed tick', async () => {
    await sql(f.db.url, `insert into job_ticks (task, slot, started_at) values ('jobs.heartbeat', '2026-12-04T11:59:00Z', '2026-12-04T11:59:00Z')`);
    expect(await age()).toBeUndefined();
  });

  it('is the time since the newest completed slot by the injected clock, and grows as the clock moves', async () => {
    await sql(
      f.db.url,
      `update job_ticks set completed_at = '2026-12-04T11:59:00.500Z' where task = 'jobs.heartbeat';
       insert into job_ticks (task, slot, started_at, completed_at) values ('jobs.heartbeat', '2026-12-04T12:00:00Z', '2026-12-04T12:00:00Z', '2026-12-04T12:00:00.250Z')`,
    );
    expect(await age()).toBe(29.75);
    clock.advance(90_000);
    expect(await age()).toBe(119.75);
  });

  it('reads the database: another task\'s ticks do not count', async () => {
    await sql(f.db.url, `insert into job_ticks (task, slot, started_at, completed_at) values ('monitors.tick', '2026-12-04T12:01:00Z', '2026-12-04T12:01:00Z', '2026-12-04T12:01:59Z')`);
    expect(await age()).toBe(119.75);
  });
});
