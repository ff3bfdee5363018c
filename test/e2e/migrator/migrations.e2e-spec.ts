import { beforeAll, describe, expect, it } from '@jest/globals';
import { MIGRATIONS_TABLE } from '../../../src/database/orm-options.js';
import { useOrmDatabase } from '../../support/orm.js';
import { readCatalog, withoutTracking, type SchemaCatalog } from '../../../src/migrator/drift/schema-catalog.js';
import { sql } from '../../support/test-database.js';

// The schema the foundation specifies, as PostgreSQL reports it back. A change here is a schema change:
// it comes with a migration, reviewed like code.
const HEAD = {
  tables: ['api_keys', 'data_quality_metric_hours', 'data_quality_metrics', 'idempotency_keys', 'lineage_events', 'migration_checksums', MIGRATIONS_TABLE, 'pipeline_execution_events', 'pipeline_executions'],
  columns: {
    api_keys: [
      'id uuid not null',
      'name text not null',
      'prefix text not null',
      'hash text not null',
      'scopes text[] not null',
      'created_at timestamp with time zone not null default now()',
      'last_used_at timestamp with time zone null',
      'revoked_at timestamp with time zone null',
    ],
    pipeline_executions: [
      'execution_id uuid not null',
      'pipeline_name text not null',
      "status text not null default 'running'::text",
      'started_at timestamp with time zone not null',
      'completed_at timestamp with time zone null',
      'input_file text null',
      "row_counts jsonb not null default '{}'::jsonb",
      'error_details text null',
      'attempt integer not null default 1',
      'created_at timestamp with time zone not null default now()',
      'updated_at timestamp with time zone not null default now()',
      'parent_execution_id uuid null',
    ],
    pipeline_execution_events: [
      'event_id uuid not null',
      'execution_id uuid not null',
      'type text not null',
      'occurred_at timestamp with time zone not null default now()',
      "payload jsonb not null default '{}'::jsonb",
    ],
    idempotency_keys: [
      'scope text not null',
      'key text not null',
      'request_hash text not null',
      'response_status integer null',
      'response_body jsonb null',
      'created_at timestamp with time zone not null default now()',
    ],
    lineage_events: [
      'id uuid not null',
      'event_hash text not null',
      'received_at timestamp with time zone not null default now()',
      'event_time timestamp with time zone not null',
      'kind text not null',
      'event_type text null',
      'run_id uuid null',
      'job_namespace text null',
      'job_name text null',
      'producer text not null',
      'payload jsonb not null',
    ],
    data_quality_metric_hours: [
      'pipeline_name text not null',
      'metric_type text not null',
      'hour timestamp with time zone not null',
      'count bigint not null',
      'sum double precision not null',
      'min double precision not null',
      'max double precision not null',
      'last_recorded_at timestamp with time zone not null',
      'last_metric_id uuid not null',
      'last_value double precision not null',
    ],
    data_quality_metrics: [
      'metric_id uuid not null',
      'pipeline_name text not null',
      'metric_type text not null',
      'metric_value double precision not null',
      'recorded_at timestamp with time zone not null',
      "metadata jsonb not null default '{}'::jsonb",
      'execution_id uuid null',
      'created_at timestamp with time zone not null default now()',
    ],
  },
  constraints: {
    api_keys: [
      "api_keys_name_not_blank: CHECK ((btrim(name) <> ''::text))",
      'api_keys_pkey: PRIMARY KEY (id)',
      'api_keys_prefix_unique: UNIQUE (prefix)',
      "api_keys_scopes_known: CHECK (((cardinality(scopes) > 0) AND (scopes <@ ARRAY['ingest'::text, 'read'::text, 'admin'::text])))",
    ],
    pipeline_executions: [
      'pipeline_executions_attempt_positive: CHECK ((attempt >= 1))',
      'pipeline_executions_completed_after_started: CHECK ((completed_at >= started_at))',
      "pipeline_executions_completed_at_iff_terminal: CHECK (((status = ANY (ARRAY['pending'::text, 'running'::text])) = (completed_at IS NULL)))",
      "pipeline_executions_pipeline_name_not_blank: CHECK ((btrim(pipeline_name) <> ''::text))",
      'pipeline_executions_pkey: PRIMARY KEY (execution_id)',
      "pipeline_executions_row_counts_is_object: CHECK ((jsonb_typeof(row_counts) = 'object'::text))",
      "pipeline_executions_status_check: CHECK ((status = ANY (ARRAY['pending'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text])))",
    ],
    pipeline_execution_events: [
      'pipeline_execution_events_execution_id_foreign: FOREIGN KEY (execution_id) REFERENCES pipeline_executions(execution_id) ON DELETE CASCADE',
      "pipeline_execution_events_payload_is_object: CHECK ((jsonb_typeof(payload) = 'object'::text))",
      'pipeline_execution_events_pkey: PRIMARY KEY (event_id)',
      "pipeline_execution_events_type_known: CHECK ((type = ANY (ARRAY['create'::text, 'start'::text, 'progress'::text, 'succeed'::text, 'fail'::text, 'cancel'::text, 'late'::text])))",
    ],
    lineage_events: [
      'lineage_events_event_hash_unique: UNIQUE (event_hash)',
      "lineage_events_event_type_known: CHECK (((event_type IS NULL) OR (event_type = ANY (ARRAY['START'::text, 'RUNNING'::text, 'COMPLETE'::text, 'ABORT'::text, 'FAIL'::text, 'OTHER'::text]))))",
      "lineage_events_kind_known: CHECK ((kind = ANY (ARRAY['run'::text, 'job'::text, 'dataset'::text])))",
      "lineage_events_payload_is_object: CHECK ((jsonb_typeof(payload) = 'object'::text))",
      'lineage_events_pkey: PRIMARY KEY (id)',
      "lineage_events_run_id_iff_run: CHECK (((kind = 'run'::text) = (run_id IS NOT NULL)))",
    ],
    idempotency_keys: ['idempotency_keys_pkey: PRIMARY KEY (scope, key)'],
    data_quality_metric_hours: ['data_quality_metric_hours_pkey: PRIMARY KEY (pipeline_name, metric_type, hour)'],
    data_quality_metrics: [
      'data_quality_metrics_execution_id_foreign: FOREIGN KEY (execution_id) REFERENCES pipeline_executions(execution_id) ON DELETE SET NULL',
      "data_quality_metrics_metadata_is_object: CHECK ((jsonb_typeof(metadata) = 'object'::text))",
      "data_quality_metrics_metric_type_not_blank: CHECK ((btrim(metric_type) <> ''::text))",
      "data_quality_metrics_pipeline_name_not_blank: CHECK ((btrim(pipeline_name) <> ''::text))",
      'data_quality_metrics_pkey: PRIMARY KEY (metric_id)',
      "data_quality_metrics_value_finite: CHECK (((metric_value > '-Infinity'::double precision) AND (metric_value < 'Infinity'::double precision)))",
    ],
  },
  indexes: {
    api_keys: [
      'api_keys_pkey: CREATE UNIQUE INDEX api_keys_pkey ON public.api_keys USING btree (id)',
      'api_keys_prefix_unique: CREATE UNIQUE INDEX api_keys_prefix_unique ON public.api_keys USING btree (prefix)',
    ],
    pipeline_executions: [
      "pipeline_executions_active_status_started_idx: CREATE INDEX pipeline_executions_active_status_started_idx ON public.pipeline_executions USING btree (status, started_at) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]))",
      'pipeline_executions_input_file_idx: CREATE INDEX pipeline_executions_input_file_idx ON public.pipeline_executions USING btree (input_file, started_at, execution_id)',
      'pipeline_executions_parent_started_idx: CREATE INDEX pipeline_executions_parent_started_idx ON public.pipeline_executions USING btree (parent_execution_id, started_at, execution_id) WHERE (parent_execution_id IS NOT NULL)',
      'pipeline_executions_pipeline_started_idx: CREATE INDEX pipeline_executions_pipeline_started_idx ON public.pipeline_executions USING btree (pipeline_name, started_at, execution_id)',
      'pipeline_executions_pkey: CREATE UNIQUE INDEX pipeline_executions_pkey ON public.pipeline_executions USING btree (execution_id)',
      'pipeline_executions_started_idx: CREATE INDEX pipeline_executions_started_idx ON public.pipeline_executions USING btree (started_at, execution_id)',
      'pipeline_executions_status_started_idx: CREATE INDEX pipeline_executions_status_started_idx ON public.pipeline_executions USING btree (status, started_at, execution_id)',
      'pipeline_executions_with_error_started_idx: CREATE INDEX pipeline_executions_with_error_started_idx ON public.pipeline_executions USING btree (started_at, execution_id) WHERE (error_details IS NOT NULL)',
    ],
    idempotency_keys: [
      'idempotency_keys_created_idx: CREATE INDEX idempotency_keys_created_idx ON public.idempotency_keys USING btree (created_at)',
      'idempotency_keys_pkey: CREATE UNIQUE INDEX idempotency_keys_pkey ON public.idempotency_keys USING btree (scope, key)',
    ],
    pipeline_execution_events: [
      'pipeline_execution_events_history_idx: CREATE INDEX pipeline_execution_events_history_idx ON public.pipeline_execution_events USING btree (execution_id, occurred_at, event_id)',
      'pipeline_execution_events_pkey: CREATE UNIQUE INDEX pipeline_execution_events_pkey ON public.pipeline_execution_events USING btree (event_id)',
    ],
    lineage_events: [
      'lineage_events_event_hash_unique: CREATE UNIQUE INDEX lineage_events_event_hash_unique ON public.lineage_events USING btree (event_hash)',
      'lineage_events_pkey: CREATE UNIQUE INDEX lineage_events_pkey ON public.lineage_events USING btree (id)',
      'lineage_events_run_received_idx: CREATE INDEX lineage_events_run_received_idx ON public.lineage_events USING btree (run_id, received_at) WHERE (run_id IS NOT NULL)',
    ],
    data_quality_metric_hours: [
      'data_quality_metric_hours_pkey: CREATE UNIQUE INDEX data_quality_metric_hours_pkey ON public.data_quality_metric_hours USING btree (pipeline_name, metric_type, hour)',
    ],
    data_quality_metrics: [
      'data_quality_metrics_execution_id_idx: CREATE INDEX data_quality_metrics_execution_id_idx ON public.data_quality_metrics USING btree (execution_id)',
      'data_quality_metrics_pipeline_recorded_idx: CREATE INDEX data_quality_metrics_pipeline_recorded_idx ON public.data_quality_metrics USING btree (pipeline_name, recorded_at, metric_id)',
      'data_quality_metrics_pkey: CREATE UNIQUE INDEX data_quality_metrics_pkey ON public.data_quality_metrics USING btree (metric_id)',
      'data_quality_metrics_recorded_idx: CREATE INDEX data_quality_metrics_recorded_idx ON public.data_quality_metrics USING btree (recorded_at, metric_id)',
      'data_quality_metrics_series_idx: CREATE INDEX data_quality_metrics_series_idx ON public.data_quality_metrics USING btree (pipeline_name, metric_type, recorded_at DESC, metric_id DESC) INCLUDE (metric_value)',
      'data_quality_metrics_type_recorded_idx: CREATE INDEX data_quality_metrics_type_recorded_idx ON public.data_quality_metrics USING btree (metric_type, recorded_at, metric_id)',
    ],
  },
  triggers: [
    'CREATE TRIGGER metric_hours_add AFTER INSERT ON public.data_quality_metrics REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION data_quality_metrics_metric_hours_add_fn()',
    'CREATE TRIGGER metric_hours_change AFTER UPDATE ON public.data_quality_metrics REFERENCING OLD TABLE AS before NEW TABLE AS after FOR EACH STATEMENT EXECUTE FUNCTION data_quality_metrics_metric_hours_change_fn()',
    'CREATE TRIGGER metric_hours_clear AFTER TRUNCATE ON public.data_quality_metrics FOR EACH STATEMENT EXECUTE FUNCTION data_quality_metrics_metric_hours_clear_fn()',
    'CREATE TRIGGER metric_hours_remove AFTER DELETE ON public.data_quality_metrics REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION data_quality_metrics_metric_hours_remove_fn()',
    'CREATE TRIGGER pipeline_executions_touch_updated_at BEFORE UPDATE ON public.pipeline_executions FOR EACH ROW EXECUTE FUNCTION pipeline_executions_pipeline_executions_touch_updated_at_fn()',
  ],
  // name(arguments): md5 of its definition, so that a changed body is a different schema.
  functions: [
    ...['add', 'change', 'clear', 'remove'].map((step) => expect.stringMatching(new RegExp(`^data_quality_metrics_metric_hours_${step}_fn\\(\\): [0-9a-f]{32}$`))),
    expect.stringMatching(/^pipeline_executions_pipeline_executions_touch_updated_at_fn\(\): [0-9a-f]{32}$/),
  ],
  types: [],
};

const EMPTY: SchemaCatalog = {
  tables: [],
  columns: {},
  constraints: {},
  indexes: {},
  triggers: [],
  functions: [],
  types: [],
  sequences: [],
};

// Each migration's own up/down/up, entities against the DDL, rows surviving upgrades, the history's order:
// test/migration-kit.e2e-spec.ts, through the migration test kit.
describe('migrations, from an empty database', () => {
  const t = useOrmDatabase({ empty: true });
  let all: string[];

  const catalog = () => readCatalog(t.db.url);
  const trackedNames = async () =>
    (await sql<{ name: string }>(t.db.url, `select name from ${MIGRATIONS_TABLE} order by id`)).map((r) => r.name);

  beforeAll(async () => {
    all = (await t.migrations.status()).pending;
  });

  it('discovers the committed migrations in file-name order, named YYYYMMDD_HHMMSS_slug', () => {
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all[0]).toBe('20261121_132715_create_core_tables');
    for (const name of all) expect(name).toMatch(/^\d{8}_\d{6}_[a-z0-9_]+$/);
    expect([...all].sort()).toEqual(all);
  });

  it('up from empty to head creates exactly the specified tables, columns, constraints, indexes and trigger', async () => {
    expect(withoutTracking(await catalog(), MIGRATIONS_TABLE)).toEqual(EMPTY);
    expect(await t.migrations.up()).toEqual(all);
    const head = await catalog();
    expect(head).toMatchObject(HEAD);
    expect(Object.keys(withoutTracking(head, MIGRATIONS_TABLE).columns).sort()).toEqual(Object.keys(HEAD.columns).sort());
  });

  it('the tracking table lists exactly the applied migrations, in order', async () => {
    expect(await trackedNames()).toEqual(all);
    expect((await t.migrations.status()).pending).toEqual([]);
  });

  it('head to base removes everything but the migration bookkeeping, with no migration left in it', async () => {
    expect(await t.migrations.down(0)).toEqual([...all].reverse());
    const base = await catalog();
    expect(withoutTracking(base, MIGRATIONS_TABLE)).toEqual(EMPTY);
    expect(base.tables).toEqual(['migration_checksums', MIGRATIONS_TABLE]);
    expect(await trackedNames()).toEqual([]);
    expect(await sql(t.db.url, 'select * from migration_checksums')).toEqual([]);
  });

  it('base to head again reproduces the same schema', async () => {
    await t.migrations.up();
    expect(await catalog()).toMatchObject(HEAD);
    expect(await trackedNames()).toEqual(all);
  });

  it('an unknown --to target is refused instead of applying or reverting everything', async () => {
    await expect(t.migrations.up('20990101_000000_no_such_migration')).rejects.toThrow(/No pending migration named/);
    await expect(t.migrations.down('20990101_000000_no_such_migration')).rejects.toThrow(/No applied migration named/);
    expect(await trackedNames()).toEqual(all);
  });

  it('down --to a migration that is not applied is refused (MikroORM would revert everything)', async () => {
    await t.migrations.down();
    const pending = all[all.length - 1];
    await expect(t.migrations.down(pending)).rejects.toThrow(/No applied migration named/);
    expect(await trackedNames()).toEqual(all.slice(0, -1));
    await t.migrations.up();
  });
});
