import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LINT_RULES } from './migration-lint.js';

// docs/migration-lint.md against the rules in code: every rule has its section, and every section a rule.
const DOC = readFileSync(fileURLToPath(new URL('../../../docs/migration-lint.md', import.meta.url)), 'utf8');

/** The `### a, b` headings under `## heading`, split into their rule ids. */
function headingsUnder(heading: string): string[] {
  const section = DOC.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? '';
  return [...section.matchAll(/^### (.+)$/gm)].flatMap(([, title]) => title.split(',').map((id) => id.trim()));
}

/** The rows of the rule table: id, the heading its link points to, and the summary. */
function tableRows(): { id: string; anchor: string; summary: string }[] {
  return [...DOC.matchAll(/^\| \[`([a-z-]+)`\]\(#([a-z-]+)\) \| (.+) \|$/gm)].map(([, id, anchor, summary]) => ({ id, anchor, summary }));
}

/** GitHub's anchor of a heading: lower case, punctuation but `-` dropped, spaces as `-`. */
const anchorOf = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

describe('docs/migration-lint.md', () => {
  it('lists every rule in code in its rule table, in order, with the summary the lint prints, and nothing else', () => {
    const rows = tableRows();
    expect(rows.map(({ id, summary }) => [id, summary])).toEqual(Object.entries(LINT_RULES).map(([id, rule]) => [id, rule.summary]));
    const anchors = [...DOC.matchAll(/^### (.+)$/gm)].map(([, heading]) => anchorOf(heading));
    for (const row of rows) expect(anchors).toContain(row.anchor);
  });

  it('has a section under "The rules" for each rule in code, and no section for a rule that is not', () => {
    expect(headingsUnder('The rules').sort()).toEqual(Object.keys(LINT_RULES).sort());
  });

  it('gives each rule a safe alternative in its section', () => {
    for (const section of DOC.split(/^### /m).slice(1)) expect(section).toMatch(/Safe alternative/);
  });
});
