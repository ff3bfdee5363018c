import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncidentSignal } from '../../src/incidents/incident-signal.js';

/** Monitor rows and runs written straight to the database, as the monitors API and the write path store them. */
export function monitorFixtures(orm: () => MikroORM) {
  const exec = (sql: string, params: unknown[] = []) => orm().em.getConnection().execute(sql, params);
  return {
    async monitor(pipeline: string, kind: string, params: object, extra: { severity?: string; createdAt?: string } = {}): Promise<string> {
      const id = randomUUID();
      await exec(`insert into monitors (id, pipeline_name, kind, severity, params, created_at) values (?, ?, ?, ?, ?::jsonb, ?)`, [
        id, pipeline, kind, extra.severity ?? 'critical', JSON.stringify(params), extra.createdAt ?? '2000-01-01T00:00:00Z',
      ]);
      return id;
    },
    /** A finished successful run started at `started` taking `minutes`, covering `nominal` when given. */
    async succeeded(pipeline: string, started: string, minutes = 5, nominal: string | null = null): Promise<string> {
      const id = randomUUID();
      await exec(
        `insert into pipeline_executions (execution_id, pipeline_name, status, started_at, completed_at, nominal_time)
         values (?, ?, 'succeeded', ?::timestamptz, ?::timestamptz + make_interval(mins => ?), ?::timestamptz)`,
        [id, pipeline, started, started, minutes, nominal],
      );
      return id;
    },
    async running(pipeline: string, started: string): Promise<string> {
      const id = randomUUID();
      await exec(`insert into pipeline_executions (execution_id, pipeline_name, status, started_at) values (?, ?, 'running', ?)`, [id, pipeline, started]);
      return id;
    },
    async finish(id: string, at: string, status: 'succeeded' | 'failed' = 'succeeded'): Promise<void> {
      await exec(`update pipeline_executions set status = ?, completed_at = ? where execution_id = ?`, [status, at, id]);
    },
    async progress(id: string, at: string): Promise<void> {
      await exec(`insert into pipeline_execution_events (event_id, execution_id, type, occurred_at) values (?, ?, 'progress', ?)`, [randomUUID(), id, at]);
    },
    async position(id: string): Promise<{ deadline_occurrence: Date | null; next_deadline_at: Date | null }> {
      const [row] = (await exec(`select deadline_occurrence, next_deadline_at from monitors where id = ?`, [id])) as { deadline_occurrence: string | null; next_deadline_at: string | null }[];
      const date = (at: string | null) => (at === null ? null : new Date(at));
      return { deadline_occurrence: date(row.deadline_occurrence), next_deadline_at: date(row.next_deadline_at) };
    },
  };
}

/** The signals of one monitor, as `{subject, firing}` plus evidence, for assertions. */
export function of(signals: IncidentSignal[], monitorId: string): IncidentSignal[] {
  return signals.filter((s) => s.monitorId === monitorId);
}
