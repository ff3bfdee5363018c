import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import type { FuzzRequest } from './fuzz-requests.js';

// Sending a generated request and judging the answer, and the row counts a rejected request must not move.

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Through Fastify's inject: the same router, hooks, parsers, guards and filters as over HTTP, without a socket. */
export async function send(app: NestFastifyApplication, r: FuzzRequest): Promise<Answer> {
  const res = await app.getHttpAdapter().getInstance().inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload });
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body };
}

// As test/support/malformed.ts, plus stack frames with file positions.
const INTERNALS = /\bat \w+ \(|select |insert |node_modules|\.[jt]s:\d+:\d+/i;

/**
 * Bugs this suite found that are still open, each with a failing test in test/fuzz-findings.e2e-spec.ts.
 * An answer matching one is counted, not failed, so that the properties keep guarding everything else.
 * Delete an entry once its finding is fixed.
 */
export const OPEN_BUGS: { id: string; matches: (r: FuzzRequest, a: Answer) => boolean }[] = [];

/** Whether the body of a 4xx is a problem document that gives nothing of the server away. */
function problemFault(a: Answer): string | undefined {
  if (!a.contentType.startsWith('application/problem+json')) return `a ${a.status} as "${a.contentType}", not application/problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return 'a problem+json body that is not JSON';
  }
  if (problem.type !== 'about:blank' || problem.status !== a.status || typeof problem.title !== 'string' || typeof problem.instance !== 'string') {
    return 'a body that is not a problem document (type, title, status, instance)';
  }
  // instance, pointers and the detail built from them echo the request; the rest is ours.
  const { instance: _, errors, detail, ...rest } = problem;
  const ours = Array.isArray(errors) ? [rest, errors.map((e: { detail?: unknown }) => e.detail)] : [rest, detail];
  if (INTERNALS.test(JSON.stringify(ours))) return 'internals (a stack frame or SQL) in the body';
  return undefined;
}

/** What is wrong with answer `a` to request `r`: undefined when nothing is, else why. */
export function fault(r: FuzzRequest, a: Answer): string | undefined {
  if (a.status >= 500) return `a ${a.status}`;
  if (r.expect === 'reject' && a.status < 400) return `a ${a.status}: accepted a request that must be refused`;
  if (r.expect === 'unauthorized' && a.status !== 401) return `a ${a.status}, not 401, for a request without a valid key`;
  if (r.expect === 'forbidden' && a.status !== 403) return `a ${a.status}, not 403, for a key without the route's scope`;
  return a.status >= 400 ? problemFault(a) : undefined;
}

/** The open bug `a` is an instance of, if any. */
export const openBug = (r: FuzzRequest, a: Answer) => OPEN_BUGS.find((b) => b.matches(r, a))?.id;

/**
 * Tables that background work writes on its own schedule (the job library's tick claims), whatever any
 * request does: a request's effect is judged on every other table.
 */
const BACKGROUND_TABLES = new Set(['job_ticks', 'monitor_series_state']);

/** Row counts of every table of the database at `url` that only requests write. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' order by 1`);
    const counted = tables.filter(({ t }) => !BACKGROUND_TABLES.has(t));
    const { rows } = await client.query<{ t: string; n: number }>(counted.map(({ t }) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all '));
    return Object.fromEntries(rows.map(({ t, n }) => [t, n]));
  } finally {
    await client.end();
  }
}
