import { describe, expect, it } from '@jest/globals';
import { findProblems, outOfOrder, type AppliedRow } from './migration-history.js';

const row = (name: string, checksum: string | null = 'c-' + name, checksumAsApplied: string | null = null): AppliedRow => ({
  name,
  checksum,
  executed_at: '',
  duration_ms: null,
  repaired_by: checksumAsApplied === null ? null : 'someone@host',
  checksum_as_applied: checksumAsApplied,
  out_of_order: false,
});
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

  it('accepts a repaired migration as repaired and as it ran (the edit undone), and nothing else', () => {
    const repaired = row('20260101_000000_a', 'edited', 'original');
    expect(findProblems([repaired], [file('20260101_000000_a', 'edited')])).toEqual([]);
    expect(findProblems([repaired], [file('20260101_000000_a', 'original')])).toEqual([]);
    expect(findProblems([repaired], [file('20260101_000000_a', 'edited again')])).toEqual([{ kind: 'changed', name: '20260101_000000_a' }]);
  });

  it('reports an applied migration whose file is gone, and not the renamed file (that one is out of order)', () => {
    expect(findProblems([row('20260101_000000_a'), row('20260102_000000_b')], [file('20260101_000000_a')])).toEqual([{ kind: 'missing', name: '20260102_000000_b' }]);
    expect(findProblems([row('20260101_000000_a'), row('20260102_000000_b')], [file('20260101_000000_a'), file('20260101_500000_b')])).toEqual([
      { kind: 'missing', name: '20260102_000000_b' },
    ]);
  });
});

describe('outOfOrder', () => {
  it('names the pending migrations that sort before the last applied one, by name, whatever order they ran in', () => {
    const files = [file('20260101_000000_a'), file('20260102_000000_b'), file('20260103_000000_c'), file('20260104_000000_d')];
    expect(outOfOrder([row('20260101_000000_a'), row('20260103_000000_c')], files)).toEqual(['20260102_000000_b']);
    expect(outOfOrder([row('20260103_000000_c'), row('20260101_000000_a')], files)).toEqual(['20260102_000000_b']);
  });

  it('is empty for a history with only later migrations pending, and for an empty one', () => {
    const files = [file('20260101_000000_a'), file('20260102_000000_b')];
    expect(outOfOrder([row('20260101_000000_a')], files)).toEqual([]);
    expect(outOfOrder([], files)).toEqual([]);
  });
});
