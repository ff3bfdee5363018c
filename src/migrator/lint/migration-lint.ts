import { checkStatement } from './migration-lint.checks.js';
import { LINT_RULES, type Hit, type LintContext, type LintRuleId } from './migration-lint.rules.js';
import { readSilences } from './migration-lint.silencing.js';
import { splitStatements } from './migration-lint.sql.js';

// The rule table lives beside the rules; the lint's callers import everything from this file.
export { LINT_RULES, type LintRuleId } from './migration-lint.rules.js';

export interface LintInput {
  /** The migration's name, e.g. 20261121_141842_add_metric_type_listing_index. */
  name: string;
  /** The migration file's text: where disable comments are read. */
  source: string;
  /** The SQL of up(), one string per addSql() call, in order; a string may hold several statements. */
  up: string[];
  /** false when the migration overrides isTransactional() to return false. */
  transactional: boolean;
}

export interface LintFinding {
  rule: LintRuleId;
  migration: string;
  statement: string;
  message: string;
  safeAlternative: string;
}

export interface LintReport {
  findings: LintFinding[];
  silenced: { rule: LintRuleId; migration: string; reason: string }[];
  errors: string[];
}

/**
 * Statements in a migration's up() that lock a busy table for long, fail on a table with rows, are refused
 * in a transaction, or break replicas still running the previous release. It reads SQL text only: no
 * database, no catalog. Statements it does not understand produce no finding.
 */
export function lintMigration(input: LintInput, settings?: { lockTimeoutMs: number }): LintReport {
  const { name } = input;
  const { silences, errors } = readSilences(name, [...input.up, input.source]);
  const ctx: LintContext = { created: new Set(), createdIndexes: new Set(), notValid: new Set(), notNullChecks: new Map(), provenNotNull: new Set(), transactional: input.transactional, sharesString: false };
  const found: LintFinding[] = [];
  const add = (statement: string, hit: Hit) =>
    found.push({ rule: hit.rule, migration: name, statement, message: hit.message, safeAlternative: LINT_RULES[hit.rule].safeAlternative });
  if (settings && !(settings.lockTimeoutMs > 0)) {
    add(`(runner settings: lockTimeoutMs = ${settings.lockTimeoutMs})`, {
      rule: 'missing-timeout',
      message: 'the runner sets no lock_timeout for migration sessions',
    });
  }
  for (const sql of input.up) {
    const statements = splitStatements(sql);
    ctx.sharesString = statements.length > 1;
    for (const { text, tokens } of statements) {
      try {
        for (const hit of checkStatement(tokens, ctx)) add(text, hit);
      } catch (error) {
        // A bug in a rule must not stop the lint of every other statement; it is reported, not hidden.
        errors.push(`${name}: the lint failed on "${shorten(text)}": ${(error as Error).message}`);
      }
    }
  }
  const silenced = new Set(silences.map((s) => s.rule));
  return {
    findings: found.filter((finding) => !silenced.has(finding.rule)),
    silenced: silences.map(({ rule, reason }) => ({ rule, migration: name, reason })),
    errors,
  };
}

/** The report for a terminal: per finding its rule, migration, statement, why, and what to write instead. */
export function formatFindings(report: LintReport): string[] {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.migration}: ${f.rule}`);
    lines.push(`  ${shorten(f.statement)}`);
    lines.push(`  why: ${f.message}: ${LINT_RULES[f.rule].summary}`);
    lines.push(`  instead: ${f.safeAlternative}`);
  }
  for (const s of report.silenced) lines.push(`${s.migration}: ${s.rule} silenced: ${s.reason}`);
  for (const error of report.errors) lines.push(`error: ${error}`);
  return lines;
}

function shorten(statement: string, max = 120): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
