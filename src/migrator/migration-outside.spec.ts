import { describe, expect, it } from '@jest/globals';
import { indexesCreatedBy, namesIndex, waitedTooLong } from './migration-outside.js';

describe('indexesCreatedBy', () => {
  it('finds the indexes created by name, in every form CREATE INDEX takes, folded as PostgreSQL folds them', () => {
    expect(
      indexesCreatedBy([
        'create index concurrently if not exists "items_label_idx" on "items" ("label");',
        'CREATE UNIQUE INDEX CONCURRENTLY Items_Code_Key ON items (code)',
        'create index "Mixed ""Quoted""" on items (id)',
        'create index plain_idx on items using gin (tags)',
      ]),
    ).toEqual(['items_label_idx', 'items_code_key', 'Mixed "Quoted"', 'plain_idx']);
  });

  it('finds none in an index without a name, nor in statements that only name one', () => {
    expect(indexesCreatedBy(['create index concurrently on items (label)', 'drop index concurrently if exists "items_label_idx"', 'reindex index items_label_idx'])).toEqual([]);
  });
});

describe('namesIndex', () => {
  it('matches a whole name, quoted or not, in any case', () => {
    expect(namesIndex('drop index concurrently if exists "Items_Label_Idx"', 'items_label_idx')).toBe(true);
    expect(namesIndex('create index items_label_idx2 on items (label)', 'items_label_idx')).toBe(false);
  });
});

describe('waitedTooLong', () => {
  it("is lock_timeout's and statement_timeout's errors, wrapped or not, and nothing else", () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    expect(waitedTooLong(withCode('55P03'))).toBe(true);
    expect(waitedTooLong(new Error('wrapped', { cause: withCode('57014') }))).toBe(true);
    expect(waitedTooLong(withCode('23505'))).toBe(false);
    expect(waitedTooLong(undefined)).toBe(false);
  });
});
