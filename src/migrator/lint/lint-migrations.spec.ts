import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleBuild } from './lint-migrations.js';

describe('staleBuild', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A sources folder and a build folder; each file at its age in minutes. */
  function folders(sources: Record<string, number>, built: Record<string, number>) {
    root = mkdtempSync(join(tmpdir(), 'lint-stale-'));
    const dirs = { sources: join(root, 'migrations'), built: join(root, 'dist', 'migrations') };
    for (const [dir, files] of [[dirs.sources, sources], [dirs.built, built]] as const) {
      mkdirSync(dir, { recursive: true });
      for (const [file, minutesAgo] of Object.entries(files)) {
        writeFileSync(join(dir, file), '');
        const when = new Date(Date.now() - minutesAgo * 60_000);
        utimesSync(join(dir, file), when, when);
      }
    }
    return dirs;
  }

  it('names each source that is not built or changed after its build, and only those', () => {
    const { sources, built } = folders(
      { '20270101_000001_a.ts': 10, '20270101_000002_b.ts': 1, '20270101_000003_c.ts': 1, 'README.md': 0 },
      { '20270101_000001_a.js': 5, '20270101_000002_b.js': 5 },
    );
    const [error, ...more] = staleBuild(sources, built);
    expect(more).toEqual([]);
    expect(error).toContain('is older than the sources');
    expect(error).toContain('20270101_000002_b.ts (changed after the build), 20270101_000003_c.ts (not built)');
    expect(error).not.toContain('20270101_000001_a');
    expect(error).toContain('npm run build');
  });

  it('says nothing when the build is newer than every source', () => {
    const { sources, built } = folders({ '20270101_000001_a.ts': 10 }, { '20270101_000001_a.js': 5 });
    expect(staleBuild(sources, built)).toEqual([]);
  });
});
