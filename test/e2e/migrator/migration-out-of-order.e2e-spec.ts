import { beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync } from 'node:fs';
import { freePort } from '../../support/disposable-postgres.js';
import { useMigratedCopies } from '../../support/migration-copies.js';
import { runTs, startServer } from '../../support/spawn.js';
import { sql } from '../../support/test-database.js';

const ORDERS = '20260301_000000_create_orders';
const CUSTOMERS = '20260302_000000_create_customers'; // the teammate's: sorts between main's two
const NOTE = '20260303_000000_add_order_note';

interface StatusJson {
  applied: { name: string; checksum: string; outOfOrder: boolean }[];
  pending: string[];
  problems: unknown[];
  outOfOrder: string[];
}

/** Each test spawns the CLI (or the service) a dozen times, each a fresh Node process. */
const TIMEOUT = 180_000;

describe('merging a teammate\'s branch: a pending migration that sorts before applied ones', () => {
  // Main: create_orders and add_order_note applied. Then the teammate's branch is merged.
  const copy = useMigratedCopies('test/fixtures/branch-migrations', 'branches');
  const { env } = copy;
  const migrate = (...args: string[]) => copy.migrate(args);
  const status = async (): Promise<StatusJson> => JSON.parse((await migrate('status', '--json')).output.trim().split('\n').pop() ?? '{}') as StatusJson;
  const exists = async (table: string) => (await sql<{ t: string | null }>(copy.db.url, `select to_regclass('${table}')::text as t`))[0].t !== null;
  const drift = async () => {
    const run = await migrate('drift', '--json');
    return { code: run.code, differences: (JSON.parse(run.output.trim().split('\n').pop() ?? '{}') as { differences: unknown[] }).differences };
  };
  const ledger = () => sql<{ name: string; out_of_order: boolean }>(copy.db.url, 'select name, out_of_order from migration_checksums order by name');

  beforeEach(() => {
    cpSync('test/fixtures/branch-migrations-teammate', copy.dir, { recursive: true });
  });

  it('up refuses (exit 3) naming both ways out, and applies nothing; status, check and down are not blocked', async () => {
    for (const args of [['up'], ['up', '--dry-run']]) {
      const up = await migrate(...args);
      expect(up.code).toBe(3);
      expect(up.output).toContain('DATABASE.MIGRATION_OUT_OF_ORDER');
      expect(up.output).toContain(`${CUSTOMERS} is pending, but sorts before an applied migration (${NOTE})`);
      expect(up.output).toContain('migrate up --allow-out-of-order');
      expect(up.output).toContain('Only if nobody else has it yet: rename it');
    }
    expect(await exists('customers')).toBe(false);

    const text = await migrate('status');
    expect(text.code).toBe(0);
    expect(text.output).toMatch(new RegExp(`pending \\(out of order\\)\\s+${CUSTOMERS}`));
    expect(await status()).toMatchObject({ pending: [CUSTOMERS], outOfOrder: [CUSTOMERS], problems: [] });

    const check = await migrate('check');
    expect(check.code).toBe(1);
    expect(check.output).toContain(`pending migrations: ${CUSTOMERS}`);
    expect(check.output).toContain('--allow-out-of-order');

    // Drift rebuilds what ran, as it ran: the pending teammate's table is not expected.
    expect(await drift()).toEqual({ code: 0, differences: [] });

    const down = await migrate('down');
    expect(down.code).toBe(0);
    expect(down.output).toContain(`reverted: ${NOTE}`);
    // With add_order_note reverted, the teammate's migration is simply next: in order again.
    expect(await status()).toMatchObject({ pending: [CUSTOMERS, NOTE], outOfOrder: [] });
  }, TIMEOUT);

  it('up --allow-out-of-order applies it and records it; the history stays verifiable; down reverts it first, as the last applied', async () => {
    const dry = await migrate('up', '--dry-run', '--allow-out-of-order');
    expect(dry.code).toBe(0);
    expect(dry.output).toContain(`-- ${CUSTOMERS} (up, out of order)`);
    expect(await exists('customers')).toBe(false);

    const up = await migrate('up', '--allow-out-of-order');
    expect(up.code).toBe(0);
    expect(up.output).toContain(`applied: ${CUSTOMERS}`);
    expect(await exists('customers')).toBe(true);
    expect(await ledger()).toEqual([
      { name: ORDERS, out_of_order: false },
      { name: CUSTOMERS, out_of_order: true },
      { name: NOTE, out_of_order: false },
    ]);

    const after = await status();
    expect(after.applied.map((m) => [m.name, m.checksum, m.outOfOrder])).toEqual([
      [ORDERS, 'ok', false],
      [NOTE, 'ok', false],
      [CUSTOMERS, 'ok', true],
    ]);
    expect(after).toMatchObject({ pending: [], outOfOrder: [], problems: [] });
    expect((await migrate('status')).output).toMatch(new RegExp(`applied \\(out of order\\)\\s+${CUSTOMERS}`));
    expect((await migrate('check')).code).toBe(0);
    expect(await drift()).toEqual({ code: 0, differences: [] });

    const down = await migrate('down');
    expect(down.output).toContain(`reverted: ${CUSTOMERS}`);
    expect(await exists('customers')).toBe(false);
    expect((await sql(copy.db.url, `select 1 from information_schema.columns where table_name = 'orders' and column_name = 'note'`)).length).toBe(1);
  }, TIMEOUT);

  it('npx mikro-orm migration:up refuses it too, and applies it with MIGRATIONS_ALLOW_OUT_OF_ORDER=true, recorded the same way', async () => {
    const mikroOrm = (extra: Record<string, string> = {}) => runTs('node_modules/@mikro-orm/cli/cli.js', ['migration:up'], env(extra), 60_000);
    const refused = await mikroOrm();
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`${CUSTOMERS} is pending, but sorts before an applied migration`);
    expect(await exists('customers')).toBe(false);

    const applied = await mikroOrm({ MIGRATIONS_ALLOW_OUT_OF_ORDER: 'true' });
    expect(applied.code).toBe(0);
    expect(await exists('customers')).toBe(true);
    expect((await ledger()).find((r) => r.name === CUSTOMERS)?.out_of_order).toBe(true);
    expect(await status()).toMatchObject({ pending: [], outOfOrder: [], problems: [] });
  }, TIMEOUT);

  it('boot with MIGRATIONS_ON_BOOT=up refuses it, and applies it with MIGRATIONS_ALLOW_OUT_OF_ORDER=true; with check it is pending', async () => {
    const check = await runTs('src/main.ts', [], env({ MIGRATIONS_ON_BOOT: 'check', PORT: '0' }));
    expect(check.code).toBe(1);
    expect(check.output).toContain(`${CUSTOMERS} sort(s) before an applied migration: apply with --allow-out-of-order`);
    const refused = await runTs('src/main.ts', [], env({ MIGRATIONS_ON_BOOT: 'up', PORT: '0' }));
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`${CUSTOMERS} is pending, but sorts before an applied migration`);
    expect(await exists('customers')).toBe(false);

    const server = startServer(['--import', 'tsx', 'src/main.ts'], await freePort(), env({ MIGRATIONS_ON_BOOT: 'up', MIGRATIONS_ALLOW_OUT_OF_ORDER: 'true' }));
    try {
      // Boot migrates before it listens: any answer means the migrations are done.
      expect(await server.firstAnswer()).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
    expect(await exists('customers')).toBe(true);
    expect((await ledger()).find((r) => r.name === CUSTOMERS)?.out_of_order).toBe(true);
  }, TIMEOUT);
});
