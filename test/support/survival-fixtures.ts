// Rows written at an older schema version, for the migration kit's data-survival checks. They are plain SQL,
// not the seeders' factories: the factories build today's entities, and these rows must fit the schema as it
// was at the migration they are written after.
import { expect } from '@jest/globals';
import pg from 'pg';
import type { DataSurvivalFixture } from '../kit/kit-options.js';
import { rowAtHead, tablesAtHead, type EntityShape, type Row } from '../kit/rows-at-head.js';
import { openOrm } from './orm.js';
import { sql } from './test-database.js';

/** The entities as they are at head, for the database at `url` (it needs no connection: metadata only). */
export type EntitiesAt = (url: string) => Promise<EntityShape[]>;

/** This project's entities, as the app's ORM options discover them. */
export const PROJECT_ENTITIES: EntitiesAt = async (url) => {
  const { orm } = await openOrm(url);
  try {
    return [...orm.getMetadata().getAll().values()];
  } finally {
    await orm.close(true);
  }
};

/** A default's value as pg reads it back: `select <sql>::<type>` on the database under test. */
const evaluateOn = (client: pg.Client) => async (sql: string, type: string) => (await client.query(`select (${sql})::${type} as value`)).rows[0].value;

async function insertRows(url: string, table: string, rows: Row[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const row of rows) {
      // pg sends plain objects as JSON (jsonb columns) and Dates as timestamps.
      const columns = Object.keys(row);
      const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
      await client.query(`insert into ${table} (${columns.join(', ')}) values (${placeholders})`, Object.values(row));
    }
  } finally {
    await client.end();
  }
}

/**
 * Rows per table, verified with `select *` in key order, so every column at head is compared: the columns a
 * row leaves out must read back as the entities at head say (tablesAtHead, rowAtHead), so a migration that
 * adds a column breaks no fixture unless it gives existing rows something else.
 */
function survival(name: string, at: string, tables: Record<string, Row[]>, entitiesAt: EntitiesAt): DataSurvivalFixture {
  return {
    name,
    at,
    write: async (url) => {
      for (const [table, rows] of Object.entries(tables)) await insertRows(url, table, rows);
    },
    verify: async (url) => {
      const heads = tablesAtHead(await entitiesAt(url));
      for (const [table, rows] of Object.entries(tables)) {
        const head = heads[table];
        const expected = await expectedRows(url, table, rows, heads);
        const actual = await sql(url, `select * from ${table} order by ${head.key.map((k) => `"${k}"`).join(', ')}`);
        // Keyed by table, so that a failure says which table's rows changed.
        expect({ [table]: actual }).toEqual({ [table]: expected });
      }
      // Written in one statement each, created_at = updated_at; the touch trigger moves updated_at on any
      // UPDATE, so a migration that rewrote these rows (even to the same values) shows here.
      expect(await sql(url, 'select execution_id from pipeline_executions where updated_at <> created_at')).toEqual([]);
    },
  };
}

async function expectedRows(url: string, table: string, rows: Row[], heads: ReturnType<typeof tablesAtHead>): Promise<Row[]> {
  const head = heads[table];
  if (!head) throw new Error(`no entity has the table ${table}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const expected: Row[] = [];
    for (const row of rows) expected.push(await rowAtHead(table, head, row, evaluateOn(client)));
    return expected;
  } finally {
    await client.end();
  }
}

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const at = (iso: string) => new Date(iso);
const metric = (n: number, pipeline: string, type: string, value: number, recordedAt: string, more: Row = {}): Row => ({
  metric_id: id(n),
  pipeline_name: pipeline,
  metric_type: type,
  metric_value: value,
  recorded_at: at(recordedAt),
  ...more,
});

/** The fixtures, verified against the entities `entitiesAt` gives (the project's by default). */
export function survivalFixtures(entitiesAt: EntitiesAt = PROJECT_ENTITIES): DataSurvivalFixture[] {
  return [
    survival('executions in each state and their metrics, linked and not', '20261121_132715_create_core_tables', {
      pipeline_executions: [
        {
          execution_id: id(1),
          pipeline_name: 'orders_daily',
          status: 'succeeded',
          started_at: at('2026-11-01T02:00:00Z'),
          completed_at: at('2026-11-01T02:05:30Z'),
          input_file: 's3://landing/orders/2026-11-01.csv',
          row_counts: { read: 1200, written: 1187, rejected: 13 },
        },
        {
          execution_id: id(2),
          pipeline_name: 'orders_daily',
          status: 'failed',
          started_at: at('2026-11-02T02:00:00Z'),
          completed_at: at('2026-11-02T02:00:09Z'),
          error_details: 'upstream timeout',
          attempt: 3,
        },
        // Every other column left to its default.
        { execution_id: id(3), pipeline_name: 'refunds', started_at: at('2026-11-03T08:30:00Z') },
      ],
      data_quality_metrics: [
        metric(11, 'orders_daily', 'row_count', 1187, '2026-11-01T02:05:30Z', { metadata: { source: 'orders' }, execution_id: id(1) }),
        metric(12, 'orders_daily', 'null_ratio', 0.0125, '2026-11-01T02:05:31Z'),
        metric(13, 'refunds', 'freshness_seconds', -42.5, '2026-11-03T08:31:00Z'),
      ],
    }, entitiesAt),
    survival('an execution with its event history', '20261121_134343_add_execution_events_and_listing_indexes', {
      pipeline_executions: [
        {
          execution_id: id(21),
          pipeline_name: 'invoices',
          status: 'cancelled',
          started_at: at('2026-11-04T10:00:00Z'),
          completed_at: at('2026-11-04T10:01:00Z'),
          input_file: 'invoices.parquet',
        },
      ],
      pipeline_execution_events: [
        { event_id: id(31), execution_id: id(21), type: 'create', occurred_at: at('2026-11-04T09:59:59Z'), payload: { by: 'scheduler' } },
        { event_id: id(32), execution_id: id(21), type: 'start', occurred_at: at('2026-11-04T10:00:00Z') },
        { event_id: id(33), execution_id: id(21), type: 'cancel', occurred_at: at('2026-11-04T10:01:00Z'), payload: { reason: 'operator request' } },
      ],
    }, entitiesAt),
    survival('idempotency keys and a metric series', '20261121_140112_add_listing_indexes_and_idempotency_keys', {
      idempotency_keys: [
        { scope: 'executions', key: 'key-a', request_hash: 'a'.repeat(64), response_status: 201, response_body: { executionId: id(41) } },
        { scope: 'metrics', key: 'key-b', request_hash: 'b'.repeat(64) },
      ],
      data_quality_metrics: [1, 2, 3].map((n) => metric(50 + n, 'orders_daily', 'row_count', 1000 * n, `2026-11-0${n}T00:00:00Z`)),
    }, entitiesAt),
    // Written between the migration that widens the history's CHECK (NOT VALID) and the one that validates it.
    survival('a reported run, its late history entry and its raw event', '20261122_115752_add_openlineage_ingestion', {
      pipeline_executions: [
        {
          execution_id: id(61),
          pipeline_name: 'airflow prod/orders_dag.load 🕷',
          status: 'succeeded',
          started_at: at('2026-11-05T01:00:00Z'),
          completed_at: at('2026-11-05T01:10:00Z'),
          row_counts: { 'output:pg://db/public.orders': 10 },
          parent_execution_id: id(60),
        },
      ],
      pipeline_execution_events: [
        { event_id: id(62), execution_id: id(61), type: 'late', occurred_at: at('2026-11-05T01:11:00Z'), payload: { source: 'openlineage', event_type: 'RUNNING' } },
      ],
      lineage_events: [
        {
          id: id(62),
          event_hash: 'c'.repeat(64),
          event_time: at('2026-11-05T01:05:00Z'),
          kind: 'run',
          event_type: 'RUNNING',
          run_id: id(61),
          job_namespace: 'airflow prod',
          job_name: 'orders_dag.load 🕷',
          producer: 'https://github.com/apache/airflow',
          payload: { eventType: 'RUNNING', run: { runId: id(61) } },
        },
        { id: id(63), event_hash: 'd'.repeat(64), event_time: at('2026-11-05T02:00:00Z'), kind: 'dataset', producer: 'https://example.com', payload: { dataset: { namespace: 'pg', name: 't' } } },
      ],
    }, entitiesAt),
  ];
}

export const SURVIVAL_FIXTURES = survivalFixtures();
