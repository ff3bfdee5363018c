import { beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { useMigratedCopies } from '../../support/migration-copies.js';
import { runTs, type RunResult } from '../../support/spawn.js';
import { createTestDatabase, sql } from '../../support/test-database.js';

const FIRST = '20260201_000000_create_notes';
const REFUSED = 'DESTRUCTIVE_COMMAND_REFUSED';

/**
 * Runs a command line with `env` on a clean environment; with `answer`, under a pseudo-terminal (util-linux
 * `script`), typing the answer when the command asks for the database name.
 */
function run(command: string[], env: Record<string, string>, answer?: string): Promise<RunResult> {
  const [file, ...args] = answer === undefined ? command : ['script', '-qefc', command.map((a) => `'${a}'`).join(' '), '/dev/null'];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let asked = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (answer !== undefined && !asked && output.includes('Type the database name')) {
        asked = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Each test spawns the CLI (or the service) a dozen times, each a fresh Node process. */
const TIMEOUT = 180_000;

describe('guards on the commands that destroy data', () => {
  // The history fixtures: a notes table and a migration that writes a row into it; one more row on top.
  const copy = useMigratedCopies('test/fixtures/history-migrations', 'guards');
  const { env, migrate } = copy;
  const notes = async () => (await sql<{ id: number }>(copy.db.url, 'select id from notes order by id')).map((r) => r.id);
  const applied = async () => (await sql<{ name: string }>(copy.db.url, 'select name from mikro_orm_migrations order by id')).length;

  beforeEach(async () => {
    await sql(copy.db.url, `insert into notes (id, body) values (2, 'written by a user')`);
  });

  it('migrate down --to 0 off a terminal refuses while a table holds rows, and changes nothing; --force goes ahead', async () => {
    const refused = await migrate(['down', '--to', '0']);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`DATABASE.${REFUSED}`);
    expect(refused.output).toContain('its tables hold data (notes) and there is no terminal to confirm on');
    expect(refused.output).toContain('--force');
    expect(await notes()).toEqual([1, 2]);
    expect(await applied()).toBe(2);
    // A dry run destroys nothing, so it never asks; reverting one migration is not "everything".
    expect((await migrate(['down', '--to', '0', '--dry-run'])).code).toBe(0);
    const forced = await migrate(['down', '--to', '0', '--force']);
    expect(forced.code).toBe(0);
    expect(await applied()).toBe(0);
  }, TIMEOUT);

  it('an empty database needs no confirmation, but NODE_ENV=production refuses even that one without --force', async () => {
    await sql(copy.db.url, 'delete from notes');
    const production = await migrate(['down', '--to', '0'], { NODE_ENV: 'production' });
    expect(production.code).toBe(1);
    expect(production.output).toContain('NODE_ENV is production');
    expect(await applied()).toBe(2);
    expect((await migrate(['down', '--to', '0'])).code).toBe(0);
    expect(await applied()).toBe(0);
  }, TIMEOUT);

  it('NODE_ENV=production with --force, or MIGRATIONS_FORCE=true, goes ahead', async () => {
    expect((await migrate(['down', '--to', FIRST], { NODE_ENV: 'production' })).code).toBe(0);
    expect((await migrate(['up'])).code).toBe(0);
    expect((await migrate(['down', '--to', '0', '--force'], { NODE_ENV: 'production' })).code).toBe(0);
    expect(await applied()).toBe(0);
    expect((await migrate(['up'])).code).toBe(0);
    expect((await migrate(['down', '--to', '0'], { NODE_ENV: 'production', MIGRATIONS_FORCE: 'true' })).code).toBe(0);
    expect(await applied()).toBe(0);
  }, TIMEOUT);

  it('on a terminal, down --to 0 goes ahead only when the database name is typed', async () => {
    const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'migrate', 'down', '--to', '0'];
    const wrong = await run(command, env(), 'not-the-name');
    expect(wrong.output).toContain(`Type the database name`);
    expect(wrong.output).toContain(REFUSED);
    expect(await notes()).toEqual([1, 2]);
    const right = await run(command, env(), copy.db.name);
    expect(right.code).toBe(0);
    expect(right.output).toContain('reverted:');
    expect(await applied()).toBe(0);
  }, TIMEOUT);

  it('npx mikro-orm migration:fresh, npm run db:reset and migration:down --to 0 refuse, and the rows survive; MIGRATIONS_FORCE=true drops and migrates again', async () => {
    // The project's own migrations and entities (what migration:fresh drops), with one execution recorded.
    const app = await createTestDatabase();
    try {
      await sql(app.url, `insert into pipeline_executions (execution_id, pipeline_name, started_at) values (gen_random_uuid(), 'nightly', now())`);
      const appEnv = (extra: Record<string, string> = {}) => ({ DATABASE_URL: app.url, ...extra });
      const mikroOrm = (args: string[], extra: Record<string, string> = {}) => runTs('node_modules/@mikro-orm/cli/cli.js', args, appEnv(extra), 60_000);
      const executions = async () => Number((await sql<{ n: string }>(app.url, 'select count(*) as n from pipeline_executions'))[0].n);
      const recorded = async () => (await sql(app.url, 'select name from mikro_orm_migrations')).length;
      const migrations = await recorded();
      for (const result of [
        await mikroOrm(['migration:fresh']),
        await run(['npm', 'run', 'db:reset'], appEnv()),
        await mikroOrm(['migration:down', '--to', '0']),
        await mikroOrm(['migration:fresh'], { NODE_ENV: 'production' }),
      ]) {
        expect(result.code).not.toBe(0);
        expect(result.output).toContain('refused on database');
        expect(await executions()).toBe(1);
        expect(await recorded()).toBe(migrations);
      }
      const forced = await mikroOrm(['migration:fresh'], { MIGRATIONS_FORCE: 'true' });
      expect(forced.code).toBe(0);
      expect(await executions()).toBe(0);
      expect(await recorded()).toBe(migrations);
    } finally {
      await app.drop();
    }
  }, TIMEOUT);
});
