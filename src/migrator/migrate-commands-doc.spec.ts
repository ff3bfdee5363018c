import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// One name, one check: each row of the commands table in docs/migrations.md pairs an npm script with the
// built command it stands for, and the script in package.json must run exactly that command (`db:check` once
// ran MikroORM's entity check while `migrate check` checked the database).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const DOC = readFileSync(join(ROOT, 'docs/migrations.md'), 'utf8');

interface Row {
  script: string;
  built: string[] | null;
  mikroOrm: string | null;
}

/** The command words before the first option or placeholder: `migrate up [--to NAME]` is `migrate up`. */
function commandWords(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const end = words.findIndex((word) => /^[[-]/.test(word));
  return end === -1 ? words : words.slice(0, end);
}

function tableRows(): Row[] {
  const section = DOC.slice(DOC.indexOf('## Commands'), DOC.indexOf('\n## ', DOC.indexOf('## Commands') + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `npm run '))
    .map((line) => {
      const [npm, built, what] = line.split(/(?<!\\)\|/).slice(1, 4).map((cell) => cell.trim());
      const node = /^`node dist\/cli\.js ([^`]*)`/.exec(built);
      return {
        script: (/^`npm run (\S+)/.exec(npm) as RegExpExecArray)[1].replace(/`$/, ''),
        built: node ? commandWords(node[1]) : null,
        mikroOrm: /`npx (mikro-orm [^`]*)`/.exec(what)?.[1] ?? null,
      };
    });
}

/** The command line a script runs our CLI with: `tsx src/cli.ts …`, or a scripts/ wrapper's runCli([...]). */
function cliWords(script: string): string[] | null {
  const direct = /^tsx src\/cli\.ts (.*)$/.exec(script);
  if (direct) return commandWords(direct[1]);
  const wrapper = /^tsx (scripts\/\S+\.ts)$/.exec(script);
  if (!wrapper) return null;
  const call = /runCli\(\[([^\]]*)/.exec(readFileSync(join(ROOT, wrapper[1]), 'utf8'));
  return call ? [...call[1].matchAll(/'([^']+)'/g)].map((m) => m[1]) : null;
}

describe('the commands table of docs/migrations.md against package.json', () => {
  const rows = tableRows();

  it('finds the table', () => {
    expect(rows.map((r) => r.script)).toEqual(expect.arrayContaining(['db:migrate', 'db:check', 'db:check-entities', 'db:drift']));
  });

  it.each(rows.filter((r) => r.built).map((r) => [r.script, (r.built as string[]).join(' ')] as const))('npm run %s runs `node dist/cli.js %s` from the sources', (script, built) => {
    expect(SCRIPTS[script]).toBeDefined();
    expect(cliWords(SCRIPTS[script])?.join(' ')).toBe(built);
  });

  it.each(rows.filter((r) => !r.built && r.mikroOrm).map((r) => [r.script, r.mikroOrm as string] as const))('npm run %s runs `npx %s`', (script, command) => {
    expect(SCRIPTS[script]).toBe(command);
  });

  it('no script runs a `migrate` command under another command\'s name', () => {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      const words = /^tsx src\/cli\.ts migrate (\w+)/.exec(script);
      if (words && !['up', 'down'].includes(words[1])) expect(name).toBe(`db:${words[1]}`);
    }
  });
});
