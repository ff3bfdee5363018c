import { describe, expect, it } from '@jest/globals';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/disposable-postgres.js';
import { useMigratedCopies } from '../../support/migration-copies.js';
import { runTs, startServer } from '../../support/spawn.js';
import { sql } from '../../support/test-database.js';

const FIRST = '20260201_000000_create_notes';
const SECOND = '20260202_000000_seed_notes';

describe('tamper-evident migration history', () => {
  // A copy of the fixtures, migrated to head.
  const copy = useMigratedCopies('test/fixtures/history-migrations', 'history');
  const migrate = (...args: string[]) => copy.migrate(args);

  const edit = (name: string, from: string, to: string) => {
    const file = join(copy.dir, `${name}.ts`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
  };

  it('an untouched history has no problem: status, check and up all pass, with checksums recorded', async () => {
    const status = await migrate('status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.output.trim().split('\n').pop() ?? '{}');
    expect(parsed.applied.map((m: { checksum: string }) => m.checksum)).toEqual(['ok', 'ok']);
    expect(parsed.problems).toEqual([]);
    expect((await migrate('check')).code).toBe(0);
    expect((await migrate('up')).output).toContain('nothing to apply');
    const rows = await sql<{ name: string; checksum: string }>(copy.db.url, 'select name, checksum from migration_checksums order by name');
    expect(rows.map((r) => r.name)).toEqual([FIRST, SECOND]);
    for (const r of rows) expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an edited applied migration: up, status and check refuse with MIGRATION_CHANGED (exit 3); repair records it', async () => {
    edit(SECOND, `'first'`, `'first, edited'`);
    for (const args of [['up'], ['status'], ['check']]) {
      const run = await migrate(...args);
      expect(run.code).toBe(3);
      expect(run.output).toContain(`${SECOND} is changed since it was applied`);
    }
    expect((await migrate('up')).output).toContain('DATABASE.MIGRATION_CHANGED');
    const repair = await migrate('repair', '--accept', SECOND);
    expect(repair.code).toBe(0);
    const status = await migrate('status');
    expect(status.code).toBe(0);
    expect(status.output).toMatch(/ok \(repaired by .+@.+\)/);
    expect((await migrate('repair', '--accept', FIRST)).code).toBe(1);
  });

  it('an edit undone: status is clean again and gives no advice', async () => {
    const original = readFileSync(join(copy.dir, `${SECOND}.ts`), 'utf8');
    edit(SECOND, `'first'`, `'first, edited'`);
    expect((await migrate('status')).output).toContain('Undo the edit');
    writeFileSync(join(copy.dir, `${SECOND}.ts`), original);
    const status = await migrate('status');
    expect(status.code).toBe(0);
    expect(status.output).toMatch(new RegExp(`applied\\s+${SECOND}\\s.*\\sok$`, 'm'));
    expect(status.output).not.toContain('Undo the edit');
  });

  it('an edit repaired, then undone: status is ok without a second repair, and says nothing of the repair', async () => {
    const original = readFileSync(join(copy.dir, `${SECOND}.ts`), 'utf8');
    edit(SECOND, `'first'`, `'first, edited'`);
    expect((await migrate('repair', '--accept', SECOND)).code).toBe(0);
    writeFileSync(join(copy.dir, `${SECOND}.ts`), original);
    const status = await migrate('status');
    expect(status.code).toBe(0);
    expect(status.output).not.toMatch(/Undo the edit|changed|repaired by/);
    expect((await migrate('up')).code).toBe(0);
    expect((await migrate('check')).code).toBe(0);
    // Nothing is left to repair; and the repaired edit, made again, is still the accepted one.
    expect((await migrate('repair', '--accept', SECOND)).code).toBe(1);
    edit(SECOND, `'first'`, `'first, edited'`);
    expect((await migrate('status')).output).toMatch(/ok \(repaired by .+@.+\)/);
    edit(SECOND, `'first, edited'`, `'first, edited twice'`);
    expect((await migrate('status')).code).toBe(3);
  });

  it('a checksum table an older version created: status reads it as it is, the next run adds the new columns', async () => {
    await sql(copy.db.url, 'alter table migration_checksums drop column checksum_as_applied, drop column out_of_order');
    const status = await migrate('status');
    expect(status.code).toBe(0);
    expect(status.output).toContain('2 applied, 0 pending');
    expect((await migrate('up')).code).toBe(0);
    const columns = await sql<{ c: string }>(copy.db.url, `select column_name as c from information_schema.columns where table_name = 'migration_checksums' and column_name in ('checksum_as_applied', 'out_of_order') order by 1`);
    expect(columns.map((r) => r.c)).toEqual(['checksum_as_applied', 'out_of_order']);
  });

  it('a deleted applied migration: MIGRATION_FILE_MISSING', async () => {
    rmSync(join(copy.dir, `${SECOND}.ts`));
    const run = await migrate('up');
    expect(run.code).toBe(3);
    expect(run.output).toContain('DATABASE.MIGRATION_FILE_MISSING');
    expect(run.output).toContain(`${SECOND} is applied, but its file is gone`);
  });

  it('a renamed applied migration: missing under its old name, out of order under the new one', async () => {
    renameSync(join(copy.dir, `${SECOND}.ts`), join(copy.dir, '20260201_120000_seed_notes.ts'));
    const run = await migrate('status');
    expect(run.code).toBe(3);
    expect(run.output).toContain(`${SECOND} is applied, but its file is gone`);
    expect(run.output).toContain('20260201_120000_seed_notes is pending, but sorts before an applied migration');
  });

  it('a new migration that sorts before applied ones: up refuses with MIGRATION_OUT_OF_ORDER, and nothing runs', async () => {
    writeFileSync(
      join(copy.dir, '20260101_000000_late_comer.ts'),
      `import { Migration } from '@mikro-orm/migrations';\nexport class Late extends Migration {\n  override up(): void { this.addSql('create table late (id int);'); }\n  override down(): void { this.addSql('drop table late;'); }\n}\n`,
    );
    const run = await migrate('up');
    expect(run.code).toBe(3);
    expect(run.output).toContain('DATABASE.MIGRATION_OUT_OF_ORDER');
    expect(await sql(copy.db.url, `select to_regclass('late') as t`)).toEqual([{ t: null }]);
  });

  it('readiness is 503 with the problems, and boot with MIGRATIONS_ON_BOOT=check refuses, while the history is tampered with', async () => {
    edit(FIRST, 'not null', 'null');
    const boot = await runTs('src/main.ts', [], copy.env({ MIGRATIONS_ON_BOOT: 'check', PORT: '0' }));
    expect(boot.code).toBe(1);
    expect(boot.output).toContain(`${FIRST} is changed since it was applied`);
    const server = startServer(['--import', 'tsx', 'src/main.ts'], await freePort(), copy.env({ MIGRATIONS_ON_BOOT: 'off' }));
    try {
      expect(await server.firstAnswer()).toBe(503);
    } finally {
      await server.stop();
    }
  });
});
