import { alterDown, alterUp, BUILD, keep, steps, type Moved, type OnlineStep, type Placement } from './safe-alter-table.js';
import { createdTable, parseAlterTable, parseCreateIndex, parseDropIndex, statementsOf, type CreateIndex, type Statement } from './sql-pieces.js';

/** A migration's SQL as MikroORM's schema diff gives it: one statement per string, '' between groups. */
export interface MigrationSql {
  up: string[];
  down: string[];
}

/**
 * A generated migration in the form that holds no long lock on a table that already exists: the
 * `transactional` part (new columns, tables, foreign keys and checks added NOT VALID) runs in the run's
 * transaction; the `online` part runs after it, outside any transaction, one statement at a time: index
 * builds and drops CONCURRENTLY, constraint validations (which let reads and writes through), SET NOT NULL
 * proven by a validated check, and unique constraints attached to an index built concurrently.
 */
export interface SafeForm {
  transactional: MigrationSql;
  online: MigrationSql;
}

const online = (phase: number, sql: string): Placement => ({ transactional: [], online: steps(phase, sql) });

export function toSafeForm(diff: MigrationSql): SafeForm {
  const moved: Moved = { created: new Set(), indexes: new Set(), uniques: new Set(), notNull: new Set() };
  const up = place(diff.up, (st) => placeUp(st, moved));
  const down = place(diff.down, (st) => placeDown(st, moved));
  const byPhase = (list: OnlineStep[]) => list.map((s, i) => ({ ...s, i })).sort((a, b) => a.phase - b.phase || a.i - b.i).map((s) => s.sql);
  return {
    transactional: { up: tidy(up.transactional), down: tidy(down.transactional) },
    online: { up: byPhase(up.online), down: down.online.map((s) => s.sql) },
  };
}

function place(sqls: string[], placeOne: (st: Statement) => Placement): Placement {
  const out: Placement = { transactional: [], online: [] };
  for (const sql of sqls) {
    if (sql.trim() === '') out.transactional.push('');
    for (const st of statementsOf(sql)) {
      const placed = placeOne(st);
      out.transactional.push(...placed.transactional);
      out.online.push(...placed.online);
    }
  }
  return out;
}

/** Blank strings only between statements, one at a time: the groups of the generated file. */
function tidy(sqls: string[]): string[] {
  const out = sqls.filter((sql, i) => sql !== '' || (i > 0 && sqls[i - 1] !== ''));
  while (out[0] === '') out.shift();
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function placeUp(st: Statement, moved: Moved): Placement {
  const table = createdTable(st);
  if (table) moved.created.add(table.key);
  const index = parseCreateIndex(st);
  if (index) {
    if (index.concurrently || moved.created.has(index.table.key)) return keep(st);
    moved.indexes.add(index.index.key);
    return online(BUILD, concurrentIndex(index));
  }
  const dropped = parseDropIndex(st);
  if (dropped && !st.tokens.some((t) => t.type === 'word' && t.value === 'concurrently')) {
    moved.indexes.add(dropped.key);
    return online(BUILD, `drop index concurrently if exists ${dropped.text};`);
  }
  const alter = parseAlterTable(st);
  return alter && !moved.created.has(alter.table.key) ? alterUp(st, alter, moved) : keep(st);
}

function concurrentIndex(index: CreateIndex): string {
  return `create ${index.unique ? 'unique ' : ''}index concurrently if not exists ${index.index.text} ${index.tail};`;
}

function placeDown(st: Statement, moved: Moved): Placement {
  const dropped = parseDropIndex(st);
  if (dropped && moved.indexes.has(dropped.key)) return online(BUILD, `drop index concurrently if exists ${dropped.text};`);
  const index = parseCreateIndex(st);
  if (index && moved.indexes.has(index.index.key)) return online(BUILD, concurrentIndex(index));
  const alter = parseAlterTable(st);
  return alter ? alterDown(st, alter, moved) : keep(st);
}
