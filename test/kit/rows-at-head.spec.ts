import { describe, expect, it } from '@jest/globals';
import { isVolatile, rowAtHead, tablesAtHead, type EntityShape } from './rows-at-head.js';

// Shaped as MikroORM's metadata is for this project's entities: a uuid key, a text column with a default, a
// nullable column, a jsonb default, a volatile default, a many-to-one relation, and an inverse side.
const executions: EntityShape = {
  tableName: 'runs',
  props: [
    { name: 'id', kind: 'scalar', primary: true, fieldNames: ['run_id'], columnTypes: ['uuid'] },
    { name: 'status', kind: 'scalar', fieldNames: ['status'], columnTypes: ['text'], defaultRaw: "'running'" },
    { name: 'note', kind: 'scalar', nullable: true, fieldNames: ['note'], columnTypes: ['text'] },
    { name: 'counts', kind: 'scalar', fieldNames: ['counts'], columnTypes: ['jsonb'], defaultRaw: "'{}'" },
    { name: 'createdAt', kind: 'scalar', fieldNames: ['created_at'], columnTypes: ['timestamptz'], defaultRaw: 'now()' },
    { name: 'parent', kind: 'm:1', nullable: true, fieldNames: ['parent_id'], columnTypes: ['uuid'] },
    { name: 'children', kind: '1:m', fieldNames: ['parent_id'], columnTypes: ['uuid'] },
    { name: 'label', kind: 'scalar', persist: false, fieldNames: ['label'], columnTypes: ['text'] },
  ],
};
const keys: EntityShape = {
  tableName: 'keys',
  props: [
    { name: 'scope', primary: true, fieldNames: ['scope'], columnTypes: ['text'] },
    { name: 'key', primary: true, fieldNames: ['key'], columnTypes: ['text'] },
  ],
};

/** PostgreSQL's answers for the defaults above, as pg reads them. */
const evaluate = async (sql: string) => ({ "'running'": 'running', "'{}'": {}, 'now()': new Date() })[sql];

describe('rows at head, derived from the entities', () => {
  it('lists each table with the columns its entity owns and its primary key, skipping inverse sides and virtual props', () => {
    const tables = tablesAtHead([executions, keys, { tableName: 'point', embeddable: true, props: [] }]);
    expect(Object.keys(tables)).toEqual(['runs', 'keys']);
    expect(tables.runs.key).toEqual(['run_id']);
    expect(tables.runs.columns.map((c) => c.name)).toEqual(['run_id', 'status', 'note', 'counts', 'created_at', 'parent_id']);
    expect(tables.runs.columns.find((c) => c.name === 'note')).toEqual({ name: 'note', type: 'text', nullable: true, defaultSql: null });
    expect(tables.keys.key).toEqual(['scope', 'key']);
  });

  it('fills what a row left out: defaults as PostgreSQL evaluates them, any value for a volatile one, null for a nullable column', async () => {
    const { runs } = tablesAtHead([executions]);
    expect(await rowAtHead('runs', runs, { run_id: 'r1', status: 'failed' }, evaluate)).toEqual({
      run_id: 'r1',
      status: 'failed',
      note: null,
      counts: {},
      created_at: expect.any(Date),
      parent_id: null,
    });
  });

  it('a nullable column added to an entity is expected as null in old rows: nothing to edit in the fixtures', async () => {
    const withNote = tablesAtHead([{ ...executions, props: [...executions.props, { name: 'memo', nullable: true, fieldNames: ['memo'], columnTypes: ['text'] }] }]);
    expect(await rowAtHead('runs', withNote.runs, { run_id: 'r1' }, evaluate)).toMatchObject({ memo: null });
  });

  it('refuses to guess a NOT NULL column without a default, or a column the entities do not have', async () => {
    const { runs } = tablesAtHead([executions]);
    await expect(rowAtHead('runs', runs, { status: 'failed' }, evaluate)).rejects.toThrow(
      "runs.run_id is NOT NULL without a default: the fixture's rows must state what a migration gave them",
    );
    await expect(rowAtHead('runs', runs, { run_id: 'r1', colour: 'red' }, evaluate)).rejects.toThrow('runs has no column colour in the entities');
  });

  it('tells function-call defaults from literals, quotes included', () => {
    expect(['now()', 'gen_random_uuid()', "nextval('s'::regclass)", 'clock_timestamp ()'].map(isVolatile)).toEqual([true, true, true, true]);
    expect(["'{}'", '1', "'running'", "'f(x)'", "'{}'::jsonb"].map(isVolatile)).toEqual([false, false, false, false, false]);
  });
});
