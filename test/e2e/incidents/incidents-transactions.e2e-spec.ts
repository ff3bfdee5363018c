import { beforeAll, describe, expect, it } from '@jest/globals';
import { useApp } from '../../support/app.js';
import { incidentsOf, signal } from '../../support/incident-fixtures.js';
import { sql } from '../../support/test-database.js';

const count = async (url: string, table: string, where: string) => Number((await sql<{ n: string }>(url, `select count(*) as n from ${table} where ${where}`))[0].n);

describe('incidents and their outbox rows commit together', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  let t: ReturnType<typeof incidentsOf>;
  beforeAll(() => {
    t = incidentsOf(f.t.app);
  });

  it('a failure after the incident change and before commit leaves neither the incident nor its outbox row', async () => {
    const s = signal();
    const failed = t.em.fork().transactional(async (tx) => {
      const written = await t.incidents.record(tx, [s], t.clock.now());
      // Inside the transaction both exist...
      expect(written.map((e) => e.eventType)).toEqual(['incident.opened']);
      expect(await tx.getConnection().execute(`select 1 from outbox_events where aggregate_id = ?`, [written[0].aggregateId], 'all', tx.getTransactionContext())).toHaveLength(1);
      throw new Error('the tick fails before it commits');
    });
    await expect(failed).rejects.toThrow('the tick fails before it commits');
    expect(await count(f.db.url, 'incidents', `pipeline_name = '${s.pipelineName}'`)).toBe(0);
    expect(await count(f.db.url, 'outbox_events', `payload->'incident'->>'pipeline_name' = '${s.pipelineName}'`)).toBe(0);
    expect(await count(f.db.url, 'incident_events e join incidents i using (incident_id)', `i.pipeline_name = '${s.pipelineName}'`)).toBe(0);
  });

  it('two connections recording the same signal at once make one incident and one outbox row', async () => {
    const s = signal();
    const both = [0, 1].map(() =>
      t.em.fork().transactional(async (tx) => {
        const written = await t.incidents.record(tx, [s], t.clock.now());
        // Hold the transaction open so the other one runs into the unique index meanwhile.
        await tx.getConnection().execute('select pg_sleep(0.3)', [], 'all', tx.getTransactionContext());
        return written;
      }),
    );
    const [a, b] = await Promise.all(both);
    expect([...a, ...b].map((e) => e.eventType)).toEqual(['incident.opened']);
    const rows = await sql<{ incident_id: string; occurrences: number }>(f.db.url, `select incident_id, occurrences from incidents where pipeline_name = '${s.pipelineName}'`);
    expect(rows).toEqual([{ incident_id: expect.any(String), occurrences: 2 }]);
    expect(await count(f.db.url, 'outbox_events', `aggregate_id = '${rows[0].incident_id}'`)).toBe(1);
  });

  it('a healthy observation that would resolve rolls back with its resolved outbox row', async () => {
    const s = signal();
    const [{ aggregateId: id }] = await t.record(s);
    const failed = t.em.fork().transactional(async (tx) => {
      await t.incidents.record(tx, [{ ...s, firing: false }], t.clock.now());
      throw new Error('rolled back');
    });
    await expect(failed).rejects.toThrow('rolled back');
    expect((await sql<{ status: string }>(f.db.url, `select status from incidents where incident_id = '${id}'`))[0].status).toBe('open');
    expect(await count(f.db.url, 'outbox_events', `aggregate_id = '${id}'`)).toBe(1);
  });
});
