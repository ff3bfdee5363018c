import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { eventually } from '../../support/eventually.js';
import { sql } from '../../support/test-database.js';

// Writes to monitors that race: a second session holds the row (or the lock) while the API request runs.
describe('monitors: concurrent changes do not undo each other', () => {
  const f = useApp({ JOBS_ENABLED: 'false' });
  const waitingOnALock = async () =>
    (await sql<{ n: number }>(f.db.url, `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`))[0].n > 0;

  it('a PATCH racing a DELETE does not bring the deleted monitor back', async () => {
    const created = (await http(f.t.app).post('/v1/monitors').send({ pipeline_name: 'race_patch', kind: 'run_failed' }).expect(201)).body as { id: string };
    const other = new pg.Client({ connectionString: f.db.url });
    await other.connect();
    try {
      // The DELETE's transaction, caught between its read and its commit.
      await other.query('begin');
      await other.query('select 1 from monitors where id = $1 for update', [created.id]);
      const patch = http(f.t.app).patch(`/v1/monitors/${created.id}`).send({ severity: 'warning' }).then((r) => r);
      expect(await eventually(waitingOnALock)).toBe(true);
      await other.query('update monitors set enabled = false, disabled_at = now() where id = $1', [created.id]);
      await other.query('commit');
      expect((await patch).status).toBe(200);
    } finally {
      await other.end();
    }
    const after = (await http(f.t.app).get(`/v1/monitors/${created.id}`).expect(200)).body;
    expect(after).toMatchObject({ enabled: false, severity: 'warning' });
  });
});
