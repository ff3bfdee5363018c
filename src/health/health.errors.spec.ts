import { describe, expect, it } from '@jest/globals';
import { NotReadyError } from './health.errors.js';

describe('NotReadyError says what is wrong', () => {
  it('pending migrations are pending, by name, not a failure', () => {
    const error = new NotReadyError({ database: { status: 'up' }, migrations: { status: 'down', applied: 3, pending: 2, names: ['20270101_000000_a', '20270102_000000_b'] } });
    expect(error.message).toBe('not ready: 2 migration(s) pending: 20270101_000000_a, 20270102_000000_b');
  });

  it('a history that is not intact names the migrations', () => {
    const error = new NotReadyError({ migrations: { status: 'down', applied: 3, pending: 0, problems: [{ name: '20270101_000000_a', kind: 'changed' }] } });
    expect(error.message).toBe('not ready: migration history not intact (20270101_000000_a)');
  });

  it('a check that failed says so with its reason; every failed check is listed', () => {
    const error = new NotReadyError({ database: { status: 'down', reason: 'ECONNREFUSED' }, migrations: { status: 'down', reason: 'ECONNREFUSED' } });
    expect(error.message).toBe('not ready: database failed (ECONNREFUSED); migrations failed (ECONNREFUSED)');
  });
});
