import { describe, expect, it } from '@jest/globals';
import { scratchCreatedAt, scratchName, scratchPrefix } from './scratch-database.js';

describe('scratch database names', () => {
  const at = Date.UTC(2026, 11, 4, 9, 30, 15);

  it('carry their creation time, to the second, and fit PostgreSQL\'s 63 bytes whatever the live name', () => {
    const live = 'x'.repeat(63);
    const name = scratchName(live, at);
    expect(name.startsWith(scratchPrefix(live))).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(scratchCreatedAt(live, name)).toBe(at);
  });

  it('are told apart from other databases: another live database\'s, an older format, a look-alike', () => {
    expect(scratchCreatedAt('ledger', scratchName('ledger_test', at))).toBeUndefined();
    expect(scratchCreatedAt('ledger', 'ledger_drift_0a1b2c3d')).toBeUndefined();
    expect(scratchCreatedAt('ledger', 'ledger_drift_notes_archive')).toBeUndefined();
    expect(scratchCreatedAt('ledger', scratchName('ledger', at))).toBe(at);
  });

  it('two runs in the same second get different names', () => {
    expect(scratchName('ledger', at)).not.toBe(scratchName('ledger', at));
  });
});
