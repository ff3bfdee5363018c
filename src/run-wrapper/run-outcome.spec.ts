import { describe, expect, it } from '@jest/globals';
import { describeOutcome, errorDetails, exitStatusOf, type RunOutcome } from './run-outcome.js';

describe('a wrapped command\'s outcome', () => {
  it.each<[RunOutcome, number, string]>([
    [{ kind: 'exited', code: 0 }, 0, 'exit status 0'],
    [{ kind: 'exited', code: 3 }, 3, 'exit status 3'],
    [{ kind: 'signalled', signal: 'SIGTERM' }, 143, 'killed by SIGTERM (exit status 143)'],
    [{ kind: 'signalled', signal: 'SIGKILL' }, 137, 'killed by SIGKILL (exit status 137)'],
    [{ kind: 'signalled', signal: 'SIGINT' }, 130, 'killed by SIGINT (exit status 130)'],
    [{ kind: 'not-started', errno: 'ENOENT', message: 'spawn x ENOENT' }, 127, 'command not found (exit status 127)'],
    [{ kind: 'not-started', errno: 'EACCES', message: 'spawn ./x EACCES' }, 126, 'could not start: spawn ./x EACCES (exit status 126)'],
  ])('%j: the wrapper exits %i, as a shell would; described as "%s"', (outcome, status, text) => {
    expect(exitStatusOf(outcome)).toBe(status);
    expect(describeOutcome(outcome)).toBe(text);
  });

  it('error_details: the program (never its arguments), what happened, how long, then the end of stderr', () => {
    expect(errorDetails({ kind: 'exited', code: 2 }, 61_250, '/opt/etl/load.sh', 'disk full')).toBe('/opt/etl/load.sh: exit status 2 after 61.3 s\n--- the end of its stderr ---\ndisk full');
    expect(errorDetails({ kind: 'exited', code: 2 }, 40, 'load', '')).toBe('load: exit status 2 after 0.0 s');
  });
});
