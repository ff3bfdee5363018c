import { afterEach, describe, expect, it } from '@jest/globals';
import { isVerbose, quietly } from './kit-options.js';

describe('the kit is quiet unless asked', () => {
  const previous = process.env.MIGRATION_KIT_VERBOSE;
  afterEach(() => {
    if (previous === undefined) delete process.env.MIGRATION_KIT_VERBOSE;
    else process.env.MIGRATION_KIT_VERBOSE = previous;
  });

  it('is verbose when the option says so, else when MIGRATION_KIT_VERBOSE=1', () => {
    delete process.env.MIGRATION_KIT_VERBOSE;
    expect([isVerbose({}), isVerbose({ verbose: true })]).toEqual([false, true]);
    process.env.MIGRATION_KIT_VERBOSE = '1';
    expect([isVerbose({}), isVerbose({ verbose: false })]).toEqual([true, false]);
  });

  it('mutes stdout and console.log while the work runs, and restores them even when it fails', async () => {
    const { write } = process.stdout;
    const { log } = console;
    let inside: unknown[] = [];
    await expect(
      quietly(async () => {
        inside = [process.stdout.write === write, console.log === log, process.stdout.write('muted\n')];
        throw new Error('the check failed');
      }),
    ).rejects.toThrow('the check failed');
    expect(inside).toEqual([false, false, true]);
    expect([process.stdout.write === write, console.log === log]).toEqual([true, true]);
  });
});
