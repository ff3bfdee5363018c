import { describe, expect, it } from '@jest/globals';
import type { MigrationFile } from './migration-history.js';
import { segmentsOf } from './migration-run.js';

const files = (spec: Record<string, boolean>) =>
  new Map<string, MigrationFile>(Object.entries(spec).map(([name, transactional]) => [name, { name, path: '', checksum: '', up: [], down: [], transactional }]));

describe('segmentsOf', () => {
  it('keeps consecutive transactional migrations in one segment and each non-transactional one alone', () => {
    const all = files({ a: true, b: true, c: false, d: false, e: true });
    expect(segmentsOf(['a', 'b', 'c', 'd', 'e'], all)).toEqual([
      { transactional: true, names: ['a', 'b'] },
      { transactional: false, names: ['c'] },
      { transactional: false, names: ['d'] },
      { transactional: true, names: ['e'] },
    ]);
  });

  it('follows the order it is given (reverse order going down)', () => {
    const all = files({ a: true, b: false, c: true });
    expect(segmentsOf(['c', 'b', 'a'], all)).toEqual([
      { transactional: true, names: ['c'] },
      { transactional: false, names: ['b'] },
      { transactional: true, names: ['a'] },
    ]);
  });

  it('is one transaction for an all-transactional run, and nothing for an empty one', () => {
    expect(segmentsOf(['a', 'b'], files({ a: true, b: true }))).toEqual([{ transactional: true, names: ['a', 'b'] }]);
    expect(segmentsOf([], files({}))).toEqual([]);
  });
});
