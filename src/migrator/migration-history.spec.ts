import { describe, expect, it } from '@jest/globals';
import { findProblems, type AppliedRow } from './migration-history.js';

const row = (name: string, checksum: string | null = 'c-' + name): AppliedRow => ({ name, checksum, executed_at: '', duration_ms: null, repaired_by: null });
const file = (name: string, checksum = 'c-' + name) => ({ name, path: '', checksum, up: [], down: [], transactional: true });

describe('findProblems', () => {
  it('finds nothing in an untouched history, with migrations pending after it', () => {
    expect(findProblems([row('20260101_000000_a'), row('20260102_000000_b')], [file('20260101_000000_a'), file('20260102_000000_b'), file('20260103_000000_c')])).toEqual([]);
  });

  it('reports an applied migration whose SQL changed', () => {
    expect(findProblems([row('20260101_000000_a')], [file('20260101_000000_a', 'edited')])).toEqual([{ kind: 'changed', name: '20260101_000000_a' }]);
  });

  it('does not judge a migration applied before checksums were recorded', () => {
    expect(findProblems([row('20260101_000000_a', null)], [file('20260101_000000_a', 'anything')])).toEqual([]);
  });

  it('reports an applied migration whose file is gone, and a renamed one as gone plus out of order', () => {
    expect(findProblems([row('20260101_000000_a'), row('20260102_000000_b')], [file('20260101_000000_a')])).toEqual([{ kind: 'missing', name: '20260102_000000_b' }]);
    expect(findProblems([row('20260101_000000_a'), row('20260102_000000_b')], [file('20260101_000000_a'), file('20260101_500000_b')])).toEqual([
      { kind: 'missing', name: '20260102_000000_b' },
      { kind: 'out_of_order', name: '20260101_500000_b' },
    ]);
  });

  it('reports a pending migration that sorts before an applied one', () => {
    expect(findProblems([row('20260102_000000_b')], [file('20260101_000000_old'), file('20260102_000000_b')])).toEqual([{ kind: 'out_of_order', name: '20260101_000000_old' }]);
  });
});
