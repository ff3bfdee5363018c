// The kit's runner for projects that apply migrations with MikroORM's stock migrator (orm.migrator).
import type { OpenedRunner } from './kit-options.js';

/** The part of MikroORM's migrator the kit drives, typed here so that the kit needs no MikroORM import. */
export interface StockMigrator {
  getPending(): Promise<{ name: string }[]>;
  getExecuted(): Promise<{ name: string }[]>;
  up(options?: { to?: string }): Promise<{ name: string }[]>;
  down(options?: { to?: string | 0 }): Promise<{ name: string }[]>;
}

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

/**
 * A runner over `orm.migrator`; close() closes the ORM. The stock migrator ignores a `to` it cannot find
 * among the migrations it would run, and then applies (or reverts) all of them: a check asking for one
 * step would silently take many, so an unknown target is refused here.
 */
export function mikroOrmRunner(orm: { migrator: StockMigrator; close(force?: boolean): Promise<void> }): OpenedRunner {
  const migrator = orm.migrator;
  const pending = async () => names(await migrator.getPending());
  const applied = async () => names(await migrator.getExecuted());
  return {
    pending,
    applied,
    up: async (to) => {
      if (to !== undefined && !(await pending()).includes(to)) throw new Error(`No pending migration named ${to}`);
      return names(await migrator.up(to === undefined ? undefined : { to }));
    },
    down: async (to) => {
      if (typeof to === 'string' && !(await applied()).includes(to)) throw new Error(`No applied migration named ${to}`);
      return names(await migrator.down(to === undefined ? undefined : { to }));
    },
    close: () => orm.close(true),
  };
}
