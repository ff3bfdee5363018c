import { describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { sql } from '../../support/test-database.js';

// The dead man's switch of the alerting in readiness: when the monitors were last evaluated and how old the
// oldest unpublished announcement is. Informational: the service stays ready either way.
describe('readiness reports the last monitor evaluation and the outbox backlog', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  const alerting = async () => (await http(f.t.app).get('/health/ready').expect(200)).body.details.alerting;

  it('before any evaluation and with nothing waiting: nulls, and ready', async () => {
    expect(await alerting()).toEqual({ status: 'up', last_evaluation_at: null, evaluation_age_seconds: null, oldest_unpublished_outbox_age_seconds: null });
  });

  it('after an evaluation and an unpublished outbox row: their times and ages', async () => {
    const evaluated = new Date(Date.now() - 90_000);
    const announced = new Date(Date.now() - 600_000);
    const at = (d: Date) => `'${d.toISOString()}'`;
    await sql(f.db.url, `insert into job_ticks (task, slot, started_at, completed_at) values ('monitors.tick', ${at(evaluated)}, ${at(evaluated)}, ${at(evaluated)})`);
    // A newer slot still running does not count as an evaluation.
    await sql(f.db.url, `insert into job_ticks (task, slot, started_at, completed_at) values ('monitors.tick', now(), now(), null)`);
    await sql(
      f.db.url,
      `insert into outbox_events (id, aggregate_type, aggregate_id, event_type, payload, created_at)
       values (gen_random_uuid(), 'incident', gen_random_uuid(), 'incident.opened', '{"schema_version": 1}', ${at(announced)}),
              (gen_random_uuid(), 'incident', gen_random_uuid(), 'incident.opened', '{"schema_version": 1}', now())`,
    );
    await sql(f.db.url, `insert into outbox_events (id, aggregate_type, aggregate_id, event_type, payload, created_at, published_at)
       values (gen_random_uuid(), 'incident', gen_random_uuid(), 'incident.opened', '{"schema_version": 1}', now() - interval '1 hour', now())`);
    const state = await alerting();
    expect(state.last_evaluation_at).toBe(evaluated.toISOString());
    expect(state.evaluation_age_seconds).toBeGreaterThanOrEqual(90);
    expect(state.evaluation_age_seconds).toBeLessThan(150);
    // The published row is older, but only rows nobody has published count.
    expect(state.oldest_unpublished_outbox_age_seconds).toBeGreaterThanOrEqual(600);
    expect(state.oldest_unpublished_outbox_age_seconds).toBeLessThan(660);
  });
});
