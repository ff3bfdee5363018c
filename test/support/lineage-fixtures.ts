import { readdirSync, readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { http } from './audit-fixtures.js';
import { sql } from './test-database.js';

// OpenLineage events for the suites: the copied corpus (test/fixtures/openlineage, see its NOTICE), and a
// builder for events of runs the suites control.

const CORPUS = new URL('../fixtures/openlineage/', import.meta.url);

/** A corpus file, e.g. events/marquez/event_full.json, freshly parsed. */
export function corpus(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, CORPUS), 'utf8')) as Record<string, unknown>;
}

/** The corpus files of a folder, e.g. events/marquez, as paths corpus() takes. */
export function corpusFiles(folder: string): string[] {
  return readdirSync(new URL(`${folder}/`, CORPUS))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`);
}

export const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.25.0/integration/airflow';

export const facet = (fields: Record<string, unknown>) => ({
  _producer: PRODUCER,
  _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json',
  ...fields,
});

export interface RunEventOptions {
  type?: string;
  runId: string;
  time: string;
  job?: { namespace: string; name: string };
  runFacets?: Record<string, unknown>;
  inputs?: unknown[];
  outputs?: unknown[];
}

/** A RunEvent as the Airflow provider sends it: producer, schemaURL, job, run and datasets. */
export function runEvent(o: RunEventOptions): Record<string, unknown> {
  return {
    eventType: o.type ?? 'START',
    eventTime: o.time,
    producer: PRODUCER,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: o.runId, ...(o.runFacets ? { facets: o.runFacets } : {}) },
    job: o.job ?? { namespace: 'airflow', name: 'orders_dag.load' },
    inputs: o.inputs ?? [],
    outputs: o.outputs ?? [],
  };
}

/** A parent facet naming the DAG run a task's run belongs to. */
export const parentFacet = (runId: string) => ({ parent: facet({ run: { runId }, job: { namespace: 'airflow', name: 'orders_dag' } }) });

export const postLineage = (app: NestFastifyApplication, body: unknown) => http(app).post('/api/v1/lineage').send(body as object);
export const postBatch = (app: NestFastifyApplication, body: unknown[]) => http(app).post('/api/v1/lineage/batch').send(body);

/** Row counts of every table the lineage routes write: "nothing written" is checked against these. */
export async function lineageCounts(url: string): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, number>>(
    url,
    `select (select count(*)::int from lineage_events) as events,
            (select count(*)::int from pipeline_executions) as executions,
            (select count(*)::int from pipeline_execution_events) as history,
            (select count(*)::int from data_quality_metrics) as metrics`,
  );
  return row;
}

/** An execution's row as the database holds it, timestamps as RFC 3339 UTC text. */
export async function executionRow(url: string, id: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql(
    url,
    `select pipeline_name, status, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_at,
            to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as completed_at,
            row_counts, error_details, parent_execution_id
     from pipeline_executions where execution_id = '${id}'`,
  );
  return row;
}

/** An execution's history types in order, each with the OpenLineage eventType it records. */
export async function historyOf(url: string, id: string): Promise<string[]> {
  const rows = await sql<{ type: string; event_type: string | null }>(
    url,
    `select type, payload->>'event_type' as event_type from pipeline_execution_events where execution_id = '${id}' order by occurred_at, event_id`,
  );
  return rows.map((r) => `${r.type}:${r.event_type}`);
}
