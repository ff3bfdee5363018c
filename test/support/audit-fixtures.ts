import { expect } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { keyOf } from './app.js';
import { sql } from './test-database.js';

export interface Execution {
  execution_id: string;
  pipeline_name: string;
  status: string;
  started_at: string;
  completed_at: string | null;
  input_file: string | null;
  row_counts: Record<string, number>;
  error_details: string | null;
  attempt: number;
}

/** Requests to the app with its suite's API key (every scope); use request() directly to test auth itself. */
export function http(app: NestFastifyApplication) {
  const agent = request.agent(app.getHttpServer());
  const key = keyOf(app);
  return key === undefined ? agent : agent.set('authorization', `Bearer ${key}`);
}

/** Records a run through the API; `status` beyond pending/running is reached through real transitions. */
export async function recordRun(
  app: NestFastifyApplication,
  body: Record<string, unknown>,
  finalStatus?: 'succeeded' | 'failed' | 'cancelled',
): Promise<Execution> {
  const created = await http(app).post('/v1/executions').send(body).expect(201);
  const id = created.body.execution_id as string;
  if (!finalStatus) return created.body as Execution;
  const event =
    finalStatus === 'succeeded' ? { type: 'succeed' } : finalStatus === 'failed' ? { type: 'fail', error_details: 'boom' } : { type: 'cancel' };
  if (finalStatus === 'succeeded' && created.body.status === 'pending') await http(app).post(`/v1/executions/${id}/events`).send({ type: 'start' }).expect(201);
  const done = await http(app).post(`/v1/executions/${id}/events`).send(event).expect(201);
  expect(done.body.status).toBe(finalStatus);
  return done.body as Execution;
}

/** Row counts of the audit tables: "a rejected request writes nothing" is checked against these. */
export async function auditRowCounts(url: string): Promise<{ executions: number; events: number }> {
  const [row] = await sql<{ executions: number; events: number }>(
    url,
    `select (select count(*)::int from pipeline_executions) as executions,
            (select count(*)::int from pipeline_execution_events) as events`,
  );
  return row;
}
