import { isLintRuleId, type LintRuleId } from './migration-lint.rules.js';

export interface Silence {
  rule: LintRuleId;
  reason: string;
}

// `// migration-lint-disable <rule> -- <reason>` in the TypeScript, `-- …` in the SQL: to the end of the line.
const LINE = /(?:\/\/|--)[ \t]*migration-lint-disable\b([^\n]*)/g;
// `/* migration-lint-disable <rule> -- <reason> */`, in either, possibly over several lines.
const BLOCK = /\/\*\s*migration-lint-disable\b([\s\S]*?)\*\//g;

/**
 * The disable comments of one migration. A comment silences its rule for the whole migration only when
 * it names a known rule and says why after `--`: an unexplained exception is a finding nobody reviewed.
 */
export function readSilences(migration: string, texts: string[]): { silences: Silence[]; errors: string[] } {
  const silences = new Map<string, Silence>();
  const errors = new Set<string>();
  for (const text of texts) {
    for (const [, rest] of [...text.matchAll(LINE), ...text.matchAll(BLOCK)]) {
      const [, id, tail] = /^\s*(\S*)\s*([\s\S]*)$/.exec(rest) as RegExpExecArray;
      const reason = tail.startsWith('--') ? tail.slice(2).replace(/\s+/g, ' ').trim() : '';
      const problem = !id
        ? 'names no rule'
        : !isLintRuleId(id)
          ? `names unknown rule "${id}"`
          : !reason
            ? `for ${id} gives no reason: write "-- why it is safe here" after the rule id`
            : undefined;
      if (problem) errors.add(`${migration}: migration-lint-disable ${problem}; it silences nothing`);
      // A comment in the SQL is also in the source: the first reading (the SQL's, when texts lists it first) wins.
      else if (!silences.has(id)) silences.set(id, { rule: id as LintRuleId, reason });
    }
  }
  return { silences: [...silences.values()], errors: [...errors] };
}
