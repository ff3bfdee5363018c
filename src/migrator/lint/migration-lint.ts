import { checkStatement } from './migration-lint.checks.js';
import { lineAt, locateStatements } from './migration-lint.locate.js';
import { LINT_RULES, type Hit, type LintContext, type LintRuleId } from './migration-lint.rules.js';
import { readSilences, silencedStatement, type Silence } from './migration-lint.silencing.js';
import { splitStatements, type Statement } from './migration-lint.sql.js';

// The rule table lives beside the rules; the lint's callers import everything from this file.
export { LINT_RULES, type LintRuleId } from './migration-lint.rules.js';

export interface LintInput {
  /** The migration's name, e.g. 20261121_141842_add_metric_type_listing_index. */
  name: string;
  /** The file as findings name it (its path relative to the working directory); the name when not given. */
  file?: string;
  /** The migration file's text: where disable comments and the statements' lines are read. */
  source: string;
  /** The SQL of up(), one string per addSql() call, in order; a string may hold several statements. */
  up: string[];
  /** false when the migration overrides isTransactional() to return false. */
  transactional: boolean;
}

export interface LintFinding {
  rule: LintRuleId;
  migration: string;
  file: string;
  /** The line of the file where the statement starts; null when its text is not in the file (SQL built at run time). */
  line: number | null;
  statement: string;
  message: string;
  safeAlternative: string;
}

export interface LintReport {
  /** What was read, e.g. "10 migrations in migrations/ (TypeScript sources)"; set by lintMigrations. */
  linted?: string;
  findings: LintFinding[];
  silenced: (Omit<LintFinding, 'message' | 'safeAlternative'> & { reason: string })[];
  errors: string[];
}

interface Located extends Statement {
  /** The statement shares its addSql() string with others. */
  shares: boolean;
  line: number | null;
  silences: Silence[];
}

/**
 * Statements in a migration's up() that lock a busy table for long, fail on a table with rows, are refused
 * in a transaction, or break replicas still running the previous release. It reads SQL text only: no
 * database, no catalog. Statements it does not understand produce no finding. A disable comment silences
 * its rule on one statement: the first one after the comment in the file.
 */
export function lintMigration(input: LintInput, settings?: { lockTimeoutMs: number }): LintReport {
  const { name } = input;
  const file = input.file ?? name;
  const { statements, silences, errors } = locate(input, file);
  const ctx: LintContext = { created: new Set(), createdIndexes: new Set(), notValid: new Set(), notNullChecks: new Map(), provenNotNull: new Set(), transactional: input.transactional, sharesString: false };
  const report: LintReport = { findings: [], silenced: [], errors };
  const used = new Set<Silence>();
  const add = (statement: Pick<Located, 'text' | 'line' | 'silences'>, hit: Hit) => {
    const where = { rule: hit.rule, migration: name, file, line: statement.line, statement: statement.text };
    const silence = statement.silences.find((s) => s.rule === hit.rule);
    if (!silence) report.findings.push({ ...where, message: hit.message, safeAlternative: LINT_RULES[hit.rule].safeAlternative });
    else {
      used.add(silence);
      report.silenced.push({ ...where, reason: silence.reason });
    }
  };
  if (settings && !(settings.lockTimeoutMs > 0)) {
    // About the runner, not a statement: no comment in a migration can silence it.
    add({ text: `(runner settings: lockTimeoutMs = ${settings.lockTimeoutMs})`, line: null, silences: [] }, {
      rule: 'missing-timeout',
      message: 'the runner sets no lock_timeout for migration sessions',
    });
  }
  for (const statement of statements) {
    ctx.sharesString = statement.shares;
    try {
      for (const hit of checkStatement(statement.tokens, ctx)) add(statement, hit);
    } catch (error) {
      // A bug in a rule must not stop the lint of every other statement; it is reported, not hidden.
      errors.push(`${file}${statement.line === null ? '' : `:${statement.line}`}: the lint failed on "${shorten(statement.text)}": ${(error as Error).message}`);
    }
  }
  errors.push(...unused(silences, statements, used, file));
  return report;
}

/** up()'s statements with their lines, and each valid disable comment given to the statement it silences. */
function locate(input: LintInput, file: string): { statements: Located[]; silences: Silence[]; errors: string[] } {
  const statements = input.up.flatMap((sql) => {
    const split = splitStatements(sql);
    return split.map((statement): Located => ({ ...statement, shares: split.length > 1, line: null, silences: [] }));
  });
  const offsets = locateStatements(input.source, statements.map((s) => s.text));
  offsets.forEach((at, i) => (statements[i].line = at === undefined ? null : lineAt(input.source, at)));
  const { silences, errors } = readSilences(file, input.source);
  for (const silence of silences) statements[silencedStatement(silence, offsets)]?.silences.push(silence);
  return { statements, silences, errors };
}

/** A comment that silenced nothing is in the wrong place, or outlived its finding: either way, it is reported. */
function unused(silences: Silence[], statements: Located[], used: Set<Silence>, file: string): string[] {
  return silences.filter((s) => !used.has(s)).map((s) => {
    const next = statements.find((statement) => statement.silences.includes(s));
    const why = next ? `the statement after it (line ${next.line}) has no ${s.rule} finding` : 'no statement of up() follows it';
    return `${file}:${s.line}: migration-lint-disable ${s.rule} silences nothing: ${why}; put it on the line before the statement it is about`;
  });
}

/** The report for a terminal: per finding its rule, migration, statement, why, and what to write instead. */
export function formatFindings(report: LintReport): string[] {
  const lines: string[] = [];
  if (report.linted) lines.push(`lint: read ${report.linted}`);
  for (const f of report.findings) {
    lines.push(`${at(f)}: ${f.rule}`);
    lines.push(`  ${shorten(f.statement)}`);
    lines.push(`  why: ${f.message}: ${LINT_RULES[f.rule].summary}`);
    lines.push(`  instead: ${f.safeAlternative}`);
  }
  for (const s of report.silenced) lines.push(`${at(s)}: ${s.rule} silenced: ${s.reason}`);
  for (const error of report.errors) lines.push(`error: ${error}`);
  return lines;
}

/** `file:line`, or the file alone when the statement's line is not known. */
function at(where: { file: string; line: number | null }): string {
  return where.line === null ? where.file : `${where.file}:${where.line}`;
}

function shorten(statement: string, max = 120): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
