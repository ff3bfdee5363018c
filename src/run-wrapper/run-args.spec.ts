import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../common/usage.error.js';
import { checkRunArgs } from './run-args.js';

describe('checkRunArgs', () => {
  const cmd = ['true'];

  it('passes --attempt, --max-attempts and --parent-execution-id on as numbers and the id', () => {
    const parent = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(checkRunArgs({ pipeline: 'p', attempt: '2', maxAttempts: '3', parentExecutionId: parent }, cmd)).toMatchObject({ attempt: 2, maxAttempts: 3, parentExecutionId: parent });
    expect(checkRunArgs({ pipeline: 'p' }, cmd)).toMatchObject({ attempt: undefined, maxAttempts: undefined, parentExecutionId: undefined });
  });

  it.each([
    [{ maxAttempts: '0' }, /--max-attempts must be an integer from 1 to 100/],
    [{ maxAttempts: '101' }, /--max-attempts must be an integer/],
    [{ maxAttempts: '2x' }, /--max-attempts must be an integer/],
    [{ attempt: '3', maxAttempts: '2' }, /--max-attempts must be at least --attempt/],
    [{ parentExecutionId: 'not-a-uuid' }, /--parent-execution-id must be a UUID/],
    [{ attempt: '1001' }, /--attempt must be an integer from 1 to 1000/],
  ])('refuses %j as a usage error', (o, message) => {
    expect(() => checkRunArgs({ pipeline: 'p', ...o }, cmd)).toThrow(UsageError);
    expect(() => checkRunArgs({ pipeline: 'p', ...o }, cmd)).toThrow(message);
  });
});
