import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MONITORS_APPLY_LOCK } from '../../../src/monitors/monitors.sql.js';
import { eventually } from '../../support/eventually.js';
import { spawnNode } from '../../support/spawn.js';
import { createTestDatabase, sql, type TestDatabase } from '../../support/test-database.js';

// The built command line (`npm run build` first), as a deploy pipeline runs it.
describe('monitors apply: the service\'s monitors match a file', () => {
  let db: TestDatabase;
  let dir: string;

  const apply = async (yaml: string, ...flags: string[]) => {
    const file = join(dir, 'monitors.yaml');
    writeFileSync(file, yaml);
    const run = spawnNode(['dist/cli.js', 'monitors', 'apply', '-f', file, ...flags], { DATABASE_URL: db.url });
    const { code } = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  };
  const enabled = () =>
    sql<{ name: string | null; pipeline_name: string; kind: string; severity: string; params: object }>(
      db.url,
      'select name, pipeline_name, kind, severity, params from monitors where enabled order by pipeline_name, kind, name',
    );
  const counts = async () => (await sql<{ n: number; updated: string }>(db.url, 'select count(*)::int as n, max(updated_at)::text as updated from monitors'))[0];

  beforeAll(async () => {
    if (!existsSync('dist/cli.js')) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'pl-monitors-apply-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const FILE = `
monitors:
  - name: orders fresh
    pipeline_name: nightly_orders
    kind: freshness
    params: { cron: "0 6 * * 1-5", timezone: Europe/Berlin, grace: PT15M }
  - pipeline_name: nightly_orders
    kind: run_failed
  - pipeline_name: nightly_orders
    kind: duration
    params: { max_duration: PT120M }
`;

  it('dry run on an empty service: prints the three creations, exits 2, writes nothing', async () => {
    const run = await apply(FILE, '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stdout.match(/^\+ create/gm)).toHaveLength(3);
    expect((await counts()).n).toBe(0);
  });

  it('apply creates them canonical; applying again changes nothing and a dry run then exits 0', async () => {
    const first = await apply(FILE);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 change(s) applied');
    expect(await enabled()).toEqual([
      { name: null, pipeline_name: 'nightly_orders', kind: 'duration', severity: 'warning', params: { max_duration: 'PT2H' } },
      { name: 'orders fresh', pipeline_name: 'nightly_orders', kind: 'freshness', severity: 'critical', params: { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', grace: 'PT15M' } },
      { name: null, pipeline_name: 'nightly_orders', kind: 'run_failed', severity: 'critical', params: {} },
    ]);
    const before = await counts();
    const second = await apply(FILE);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('no changes');
    expect(await counts()).toEqual(before);
    expect((await apply(FILE, '--dry-run')).code).toBe(0);
  });

  it('a changed item is updated, a removed one disabled; a monitor made through the API with a key is left alone', async () => {
    await sql(db.url, `insert into monitors (id, pipeline_name, kind, severity, params, created_by_key) values (gen_random_uuid(), 'hand_made', 'run_failed', 'critical', '{}', gen_random_uuid())`);
    const changed = FILE.replace('grace: PT15M', 'grace: PT30M').replace('  - pipeline_name: nightly_orders\n    kind: run_failed\n', '');
    const dry = await apply(changed, '--dry-run');
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/^~ update .*params → .*PT30M/m);
    expect(dry.stdout).toMatch(/^- disable .*run_failed on "nightly_orders"/m);
    // The hand-made monitor is shown as kept, and is not a difference: two changes, not three.
    expect(dry.stdout).toMatch(/^= keep [0-9a-f-]{36}: run_failed on "hand_made" \{\} critical: kept \(created through the API\)$/m);
    expect(dry.stdout).toMatch(/^2 change\(s\); nothing written \(--dry-run\)$/m);
    expect((await apply(changed)).code).toBe(0);
    expect((await enabled()).map((m) => [m.pipeline_name, m.kind, m.params])).toEqual([
      ['hand_made', 'run_failed', {}],
      ['nightly_orders', 'duration', { max_duration: 'PT2H' }],
      ['nightly_orders', 'freshness', { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', grace: 'PT30M' }],
    ]);
    expect((await sql<{ n: number }>(db.url, 'select count(*)::int as n from monitors where not enabled'))[0].n).toBe(1);
  });

  it('an invalid file: exit 1 with a message naming each item and field; nothing written', async () => {
    const before = await counts();
    const run = await apply(`
monitors:
  - pipeline_name: a
    kind: freshness
    params: { max_age: PT0S }
  - pipeline_name: b
    kind: freshness
    params: { cron: "0 6 * * *", timezone: Mars/Olympus }
  - pipeline_name: c
    kind: volume
  - pipeline_name: d
    kind: run_failed
    colour: red
`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('monitors[0].params.max_age: must be longer than zero');
    expect(run.stderr).toMatch(/monitors\[1\]\.params\.timezone: is not an IANA time zone/);
    expect(run.stderr).toMatch(/monitors\[2\]\.kind: /);
    expect(run.stderr).toMatch(/monitors\[3\]\.colour: is not a field of a monitor/);
    expect(await counts()).toEqual(before);
    const notList = await apply('monitor: []\n');
    expect(notList.code).toBe(1);
    expect(notList.stderr).toMatch(/monitors: must be a list/);
  });

  it('stalled for a pipeline that never reported progress: refused naming the item, nothing written', async () => {
    const before = await counts();
    const run = await apply('monitors:\n  - { pipeline_name: silent, kind: stalled, params: { stall_after: PT10M } }\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/monitors\[0\]\.kind: stalled needs a pipeline that reports progress/);
    expect(await counts()).toEqual(before);
  });

  it('stalled is checked again when apply changes the params of a stalled monitor: refused naming the item, nothing written', async () => {
    await sql(db.url, `insert into monitors (id, name, pipeline_name, kind, severity, params, resolve_after, enabled, created_at, updated_at)
      values (gen_random_uuid(), 'stall watch', 'silent_stall', 'stalled', 'warning', '{"stall_after": "PT10M"}', 1, true, now(), now())`);
    const before = await counts();
    const run = await apply('monitors:\n  - { name: stall watch, pipeline_name: silent_stall, kind: stalled, params: { stall_after: PT20M } }\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/monitors\[0\]\.kind: stalled needs a pipeline that reports progress/);
    expect(await counts()).toEqual(before);
  });

  it('the data kinds, on a dataset, a column and a pipeline: created canonical with their targets, unchanged on a second apply; an unreported metric type refused', async () => {
    await sql(db.url, `insert into data_quality_metrics (metric_id, pipeline_name, metric_type, metric_value, recorded_at, dataset_namespace, dataset_name, column_name)
      values (gen_random_uuid(), 'dbt_apply', 'row_count', 1000, now(), 'postgres://db:5432', 'public.orders', null),
             (gen_random_uuid(), 'dbt_apply', 'null_rate', 0.01, now(), 'postgres://db:5432', 'public.orders', 'amount')`);
    const data = `
monitors:
  - name: orders rows
    dataset_namespace: Postgres://DB:5432/
    dataset_name: public.orders
    kind: metric_anomaly
    params: { metric_type: row_count, seasonality: day_of_week, direction: drop }
  - name: orders amount nulls
    dataset_namespace: postgres://db:5432
    dataset_name: public.orders
    column: amount
    kind: metric_threshold
    params: { metric_type: null_rate, max: 0.05 }
  - name: dbt tests
    pipeline_name: dbt_apply
    kind: test_failed
`;
    expect((await apply(data)).code).toBe(0);
    const made = await sql(
      db.url,
      `select name, pipeline_name, dataset_namespace, dataset_name, column_name, kind, params from monitors where enabled and name in ('orders rows', 'orders amount nulls', 'dbt tests') order by name`,
    );
    expect(made).toEqual([
      { name: 'dbt tests', pipeline_name: 'dbt_apply', dataset_namespace: null, dataset_name: null, column_name: null, kind: 'test_failed', params: {} },
      { name: 'orders amount nulls', pipeline_name: null, dataset_namespace: 'postgres://db:5432', dataset_name: 'public.orders', column_name: 'amount', kind: 'metric_threshold', params: { metric_type: 'null_rate', max: 0.05 } },
      {
        name: 'orders rows', pipeline_name: null, dataset_namespace: 'postgres://db:5432', dataset_name: 'public.orders', column_name: null, kind: 'metric_anomaly',
        params: { metric_type: 'row_count', seasonality: 'day_of_week', direction: 'drop', training: 'P28D', sensitivity: 3.5, min_abs_change: 0, min_rel_change: 0.1 },
      },
    ]);
    expect((await apply(data, '--dry-run')).code).toBe(0);
    const before = await counts();
    const typo = await apply(data.replace('metric_type: null_rate', 'metric_type: nul_rate'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/monitors\[1\]\.params\.metric_type/);
    expect(await counts()).toEqual(before);
  });

  it('two applies at once run one after the other (the advisory lock): the unnamed monitors are created once', async () => {
    const file = join(dir, 'race.yaml');
    writeFileSync(file, 'monitors:\n  - { pipeline_name: race_apply, kind: run_failed }\n  - { pipeline_name: race_apply, kind: duration, params: { factor: 3 } }\n');
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const waiting = async () => (await sql<{ n: number }>(db.url, `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`))[0].n;
    let runs;
    try {
      // Another apply in its transaction: both of these must wait for it, and then for each other.
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(${MONITORS_APPLY_LOCK})`);
      runs = [1, 2].map(() => spawnNode(['dist/cli.js', 'monitors', 'apply', '-f', file], { DATABASE_URL: db.url }));
      expect(await eventually(async () => (await waiting()) === 2)).toBe(true);
      expect((await sql<{ n: number }>(db.url, `select count(*)::int as n from monitors where pipeline_name = 'race_apply'`))[0].n).toBe(0);
      await holder.query('commit');
    } finally {
      await holder.end();
    }
    const codes = await Promise.all(runs.map(async (r) => (await r.exited).code));
    expect(codes).toEqual([0, 0]);
    const made = await sql<{ kind: string }>(db.url, `select kind from monitors where pipeline_name = 'race_apply' and enabled order by kind`);
    expect(made.map((m) => m.kind)).toEqual(['duration', 'run_failed']);
  });
});
