// A jest migration test kit for MikroORM-on-PostgreSQL projects: one call registers the tests that prove the
// migrations form a single line, each reverts cleanly, the entities match them, and rows written at an older
// version survive. The checks are exported from history-checks.ts and schema-checks.ts too, for use outside
// a describe block (e.g. to prove the kit fails on a broken set of migrations).
import { describe, it } from '@jest/globals';
import { checkLinearHistory } from './history-checks.js';
import type { MigrationKitOptions } from './kit-options.js';
import { checkDataSurvives, checkDownToZero, checkEntitiesMatch, checkUpDownUp } from './schema-checks.js';

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
