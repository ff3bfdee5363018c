import { describe, expect, it } from '@jest/globals';
import { migrationFileName } from './migration-file-name.js';

describe('migrationFileName', () => {
  it('splits the UTC timestamp into date and time and appends a snake_case slug', () => {
    expect(migrationFileName('20261121153012', 'create core tables')).toBe('20261121_153012_create_core_tables');
    expect(migrationFileName('20261121153012', 'Add-Owner.Column!')).toBe('20261121_153012_add_owner_column');
  });

  it('names sort in the order they were created', () => {
    const names = ['20270101000000', '20261231235959', '20261121153012'].map((t) => migrationFileName(t, 'x'));
    expect([...names].sort()).toEqual([names[2], names[1], names[0]]);
  });

  it('requires a name that says what the migration does', () => {
    expect(() => migrationFileName('20261121153012')).toThrow(/pass --name/);
    expect(() => migrationFileName('20261121153012', '!!!')).toThrow(/pass --name/);
  });
});
