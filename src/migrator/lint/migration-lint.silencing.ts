import { lineAt } from './migration-lint.locate.js';
import { isLintRuleId, type LintRuleId } from './migration-lint.rules.js';

export interface Silence {
  rule: LintRuleId;
  reason: string;
  /** Where the comment ends in the file: it silences the first statement that starts after it. */
  end: number;
  line: number;
}

// `// migration-lint-disable <rule> -- <reason>` in the TypeScript, `-- …` in the SQL: to the end of the line.
const LINE = /(?:\/\/|--)[ \t]*migration-lint-disable\b([^\n]*)/g;
// `/* migration-lint-disable <rule> -- <reason> */`, in either, possibly over several lines.
const BLOCK = /\/\*\s*migration-lint-disable\b([\s\S]*?)\*\//g;

/**
 * The disable comments in a migration's file, in the TypeScript or inside its SQL strings. A comment counts
 * only when it names a known rule and says why after `--`: an unexplained exception is a finding nobody
 * reviewed. Which statement each one silences is the caller's to decide, from `end`.
 */
export function readSilences(file: string, source: string): { silences: Silence[]; errors: string[] } {
  const silences: Silence[] = [];
  const errors: string[] = [];
  for (const match of [...source.matchAll(LINE), ...source.matchAll(BLOCK)]) {
    const [, id, tail] = /^\s*(\S*)\s*([\s\S]*)$/.exec(match[1]) as RegExpExecArray;
    const reason = tail.startsWith('--') ? tail.slice(2).replace(/\s+/g, ' ').trim() : '';
    const line = lineAt(source, match.index);
    const problem = !id
      ? 'names no rule'
      : !isLintRuleId(id)
        ? `names unknown rule "${id}"`
        : !reason
          ? `for ${id} gives no reason: write "-- why it is safe here" after the rule id`
          : undefined;
    if (problem) errors.push(`${file}:${line}: migration-lint-disable ${problem}; it silences nothing`);
    else silences.push({ rule: id as LintRuleId, reason, end: match.index + match[0].length, line });
  }
  return { silences, errors };
}

/** The index of the statement a comment silences: the first found in the file after it; -1 when none is. */
export function silencedStatement(silence: Silence, offsets: (number | undefined)[]): number {
  let found = -1;
  offsets.forEach((at, i) => {
    if (at !== undefined && at >= silence.end && (found === -1 || at < (offsets[found] as number))) found = i;
  });
  return found;
}
