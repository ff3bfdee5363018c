import { afterAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createRootLogger } from './logging.js';

const original = { ...console };
afterAll(() => {
  Object.assign(console, original);
});

describe('console output of libraries', () => {
  it('becomes JSON lines of context "console" at the matching level, without colour codes', async () => {
    const { routeConsoleTo } = await import('./console-to-log.js');
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    routeConsoleTo(createRootLogger('info', stream));
    console.log('\u001b[32m[lib]\u001b[39m processing %s', 'x');
    console.warn('careful');
    console.debug('below the level');
    Object.assign(console, original);
    expect(lines.map((l) => [l.context, l.level, l.msg])).toEqual([
      ['console', 'info', '[lib] processing x'],
      ['console', 'warn', 'careful'],
    ]);
  });
});
