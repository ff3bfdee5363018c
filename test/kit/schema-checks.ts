// Checks 2 to 5, and one migration on its own: what each migration does to the schema and to the rows already there. Each starts from an
// empty database of its own and names the migration (or fixture) at fault, with the difference it found.
import { expect } from '@jest/globals';
import {
  KitFailure,
  ownedCatalog,
  step,
  withFreshRunner,
  type DataSurvivalFixture,
  type KitRunner,
  type MigrationDataFixture,
  type MigrationKitOptions,
} from './kit-options.js';

/** What runs around one migration's up/down/up: writing rows before it, verifying them after each step. */
interface AroundOne {
  afterUp?(): Promise<void>;
  afterDown?(): Promise<void>;
  afterUpAgain?(): Promise<void>;
}

/**
 * One migration, pending next: up applies exactly it and changes the schema (data-only ones excepted); down
 * reverts exactly it and restores the schema before it; up again rebuilds the same schema.
 */
async function upDownUp(runner: KitRunner, name: string, catalog: () => Promise<unknown>, dataOnly: boolean, around: AroundOne = {}): Promise<void> {
  const before = await catalog();
  await step(name, 'up(name) did not apply exactly this migration', async () => expect(await runner.up(name)).toEqual([name]));
  const after = await catalog();
  if (dataOnly) {
    await step(name, 'is listed as data-only but changed the schema', async () => expect(after).toEqual(before));
  } else {
    await step(name, 'up() changed nothing in the schema (list it in dataOnly if it only moves data)', async () => expect(after).not.toEqual(before));
  }
  await around.afterUp?.();
  await step(name, 'down() did not revert exactly this migration', async () => expect(await runner.down()).toEqual([name]));
  await step(name, 'down() did not restore the schema from before its up()', async () => expect(await catalog()).toEqual(before));
  await around.afterDown?.();
  await step(name, 'up(name) again did not apply exactly this migration', async () => expect(await runner.up(name)).toEqual([name]));
  await step(name, 'up() again did not rebuild the schema of its first up()', async () => expect(await catalog()).toEqual(after));
  await around.afterUpAgain?.();
}

/**
 * For each migration in turn, from empty: up/down/up (upDownUp). A down() that forgets an index, a
 * constraint or a function fails here even when dropping a table later would hide it, which going down all
 * the way (checkDownToZero) cannot see.
 */
export async function checkUpDownUp(options: MigrationKitOptions): Promise<void> {
  const bookkeeping = options.bookkeepingTables ?? [];
  const dataOnly = new Set(options.dataOnly ?? []);
  await withFreshRunner(options, async (runner, url) => {
    const all = await runner.pending();
    if (all.length === 0) throw new KitFailure(options.name, 'no migration to check');
    for (const [i, name] of all.entries()) {
      await upDownUp(runner, name, () => ownedCatalog(url, bookkeeping, options.schemas), dataOnly.has(name));
      await step(name, 'the applied list is not every migration so far, in order', async () =>
        expect(await runner.applied()).toEqual(all.slice(0, i + 1)),
      );
    }
  });
}

/**
 * One migration on its own: every migration before it applied, then the rows of `data` written, then its
 * up/down/up (upDownUp), the rows verified after its up, after its down (when the fixture can read them at
 * the older version) and after its second up. Catches a down() that loses rows or an up() that cannot run
 * again, without running the whole history through every check.
 */
export async function checkMigration(options: MigrationKitOptions, name: string, data: MigrationDataFixture[] = []): Promise<void> {
  const bookkeeping = options.bookkeepingTables ?? [];
  await withFreshRunner(options, async (runner, url) => {
    const all = await runner.pending();
    const at = all.indexOf(name);
    if (at < 0) throw new KitFailure(name, 'is not a migration of this project', all.join('\n'));
    if (at > 0) {
      await step(name, `up(${all[at - 1]}) did not apply exactly the migrations before it`, async () => expect(await runner.up(all[at - 1])).toEqual(all.slice(0, at)));
    }
    const subject = (fixture: Pick<MigrationDataFixture, 'name'>) => `rows "${fixture.name}" written before ${name}`;
    for (const fixture of data) await step(subject(fixture), 'writing them failed', () => fixture.write(url));
    const verifyAll = (what: string) => async () => {
      for (const fixture of data) await step(subject(fixture), `did not survive ${what}`, () => fixture.verify(url));
    };
    await upDownUp(runner, name, () => ownedCatalog(url, bookkeeping, options.schemas), (options.dataOnly ?? []).includes(name), {
      afterUp: verifyAll('its up()'),
      afterDown: async () => {
        for (const { verifyBefore, ...fixture } of data) {
          if (verifyBefore) await step(subject(fixture), 'did not survive its down()', () => verifyBefore(url));
        }
      },
      afterUpAgain: verifyAll('its down() and up() again'),
    });
  });
}

/** Migrated to head, the entities describe exactly the schema the migrations built. */
export async function checkEntitiesMatch(options: MigrationKitOptions): Promise<void> {
  const entitiesMatch = options.entitiesMatch;
  if (!entitiesMatch) throw new KitFailure(options.name, 'entitiesMatch is not given: nothing to compare');
  await withFreshRunner(options, async (runner, url) => {
    await migrateToHead(runner, options.name);
    const diff = (await entitiesMatch(url)).trim();
    if (diff !== '') {
      throw new KitFailure(options.name, 'the entities differ from the schema the migrations build; the SQL that would reconcile them', diff);
    }
  });
}

/** Rows written at `fixture.at` read back unchanged (with any new column at its default) after upgrading to head. */
export async function checkDataSurvives(options: MigrationKitOptions, fixture: DataSurvivalFixture): Promise<void> {
  const subject = `rows "${fixture.name}" written at ${fixture.at}`;
  await withFreshRunner(options, async (runner, url) => {
    const all = await runner.pending();
    const at = all.indexOf(fixture.at);
    if (at < 0) throw new KitFailure(subject, `${fixture.at} is not a migration of this project`, all.join('\n'));
    // Written at head, the rows would go through no upgrade at all: the test could not fail.
    if (at === all.length - 1) throw new KitFailure(subject, `${fixture.at} is the last migration: nothing upgrades the rows`);
    await step(subject, `up(${fixture.at}) did not apply exactly the migrations up to it`, async () =>
      expect(await runner.up(fixture.at)).toEqual(all.slice(0, at + 1)),
    );
    await step(subject, 'writing them failed', () => fixture.write(url));
    const later = all.slice(at + 1);
    await step(subject, 'upgrading to head failed', async () => expect(await runner.up()).toEqual(later));
    await step(subject, `did not survive ${later.join(', ')}`, () => fixture.verify(url));
  });
}

/**
 * Head to 0 reverts every migration, newest first, and leaves nothing but the bookkeeping tables: the schema
 * is the empty database's again. Compared with that database as it was created, not with nothing at all, so
 * that what the project's template database holds (an extension's functions, say) is not a failure.
 */
export async function checkDownToZero(options: MigrationKitOptions): Promise<void> {
  const bookkeeping = options.bookkeepingTables ?? [];
  await withFreshRunner(options, async (runner, url) => {
    const empty = await ownedCatalog(url, bookkeeping, options.schemas);
    const all = await migrateToHead(runner, options.name);
    await step(options.name, 'down(0) did not revert every migration, newest first', async () =>
      expect(await runner.down(0)).toEqual([...all].reverse()),
    );
    await step(options.name, 'down(0) left more than the bookkeeping tables behind', async () =>
      expect(await ownedCatalog(url, bookkeeping, options.schemas)).toEqual(empty),
    );
    await step(options.name, 'down(0) left migrations recorded as applied', async () => expect(await runner.applied()).toEqual([]));
  });
}

async function migrateToHead(runner: KitRunner, subject: string): Promise<string[]> {
  const all = await runner.pending();
  await step(subject, 'up() from empty did not apply every migration, in order', async () => expect(await runner.up()).toEqual(all));
  return all;
}
