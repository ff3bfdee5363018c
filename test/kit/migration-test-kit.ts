// A jest migration test kit for MikroORM-on-PostgreSQL projects: one call registers the tests that prove the
// migrations form a single line, each reverts cleanly, the entities match them, and rows written at an older
// version survive; describeMigration tests one migration on its own. The checks are exported from
// history-checks.ts and schema-checks.ts too, for use outside a describe block (e.g. to prove the kit fails
// on a broken set of migrations).
import { describe, it } from '@jest/globals';
import { checkLinearHistory } from './history-checks.js';
import type { MigrationDataFixture, MigrationKitOptions } from './kit-options.js';
import { checkDataSurvives, checkDownToZero, checkEntitiesMatch, checkMigration, checkUpDownUp } from './schema-checks.js';

/** Registers one describe block with one test per check (one per data-survival fixture). */
export function describeMigrationKit(options: MigrationKitOptions): void {
  const timeout = options.timeoutMs ?? 120_000;
  describe(`migrations of ${options.name} (migration test kit)`, () => {
    it('form a single linear history: unique, well-named files, one per timestamp, pending in file order', () => checkLinearHistory(options), timeout);

    it('each go up, down (restoring the schema before it exactly) and up again (rebuilding the same schema)', () => checkUpDownUp(options), timeout);

    if (options.entitiesMatch) {
      it('build at head exactly the schema the entities describe', () => checkEntitiesMatch(options), timeout);
    }

    for (const fixture of options.dataSurvival ?? []) {
      it(`keep rows written at ${fixture.at} through the upgrade to head: ${fixture.name}`, () => checkDataSurvives(options, fixture), timeout);
    }

    it('go down from head to 0, leaving only the bookkeeping tables', () => checkDownToZero(options), timeout);
  });
}

/**
 * Registers one test for one migration (the one being written, say): every migration before it applied, the
 * rows of `data` written, then its up, down and up again, each restoring or rebuilding the schema exactly and
 * keeping the rows. Quicker than the whole kit while a migration is being written.
 */
export function describeMigration(options: MigrationKitOptions, name: string, data: MigrationDataFixture[] = []): void {
  const rows = data.length === 0 ? '' : `, keeping ${data.map((d) => d.name).join(' and ')}`;
  it(`migration ${name} goes up, down and up again from the migration before it${rows}`, () => checkMigration(options, name, data), options.timeoutMs ?? 120_000);
}
