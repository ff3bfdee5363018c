// The ceiling for this machine: a minimal node:http + pg server issuing, per request, exactly the SQL the
// app issues for the same request, with nothing else (no framework, no validation, no logging).
//   DATABASE_URL=… PORT=… BENCH_APP_DIST=<a copy of dist/, see support.ts> node bench/baseline-server.ts
// The SQL text and the statements' parameter order come from the app's own compiled query modules, so the
// two cannot drift apart. No authentication: the ceiling is the data's SQL alone, so the cost of the app's
// key check (a lookup per request today) shows in the ratio instead of being hidden by the baseline.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

type ExecQueries = typeof import('../src/audit/executions.sql.js');
type TrendQueries = typeof import('../src/quality/trends.sql.js');
type Subjects = typeof import('../src/quality/series-subject.js');
type Cursors = typeof import('../src/common/cursor.js');
type Uuid = typeof import('../src/database/uuid-v7.js');
type PipelineQueries = typeof import('../src/audit/pipelines.sql.js');
type StateMachine = typeof import('../src/audit/execution-state-machine.js');
type ExecutionStatus = import('../src/audit/execution-status.js').ExecutionStatus;

const dist = process.env.BENCH_APP_DIST as string;
const load = <T>(path: string) => import(new URL(`file://${dist}/${path}`).href) as Promise<T>;
const q = await load<ExecQueries>('src/audit/executions.sql.js');
const trends = await load<TrendQueries>('src/quality/trends.sql.js');
const { subjectOf } = await load<Subjects>('src/quality/series-subject.js');
const { decodeCursor } = await load<Cursors>('src/common/cursor.js');
const { uuidV7 } = await load<Uuid>('src/database/uuid-v7.js');
const { pipelineListing } = await load<PipelineQueries>('src/audit/pipelines.sql.js');
const { TRANSITIONS, isTerminal } = await load<StateMachine>('src/audit/execution-state-machine.js');

// The app's pool: DB_POOL_MAX's default, statement timeout and UTC sessions (mikro-orm.config.ts).
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 30_000, options: '-c TimeZone=UTC' });

/** One of the app's prepared statements, with the parameters bound as the app binds them. */
const statement = async <P>(s: { sql: string; values: (p: P) => unknown[] }, p: P) => (await db.query(s.sql, s.values(p))).rows as Record<string, unknown>[];

type Handler = (params: URLSearchParams, body: Record<string, unknown>, id: string) => Promise<[number, unknown]>;

const createExecution: Handler = async (_params, body) => {
  const rows = await statement(q.INSERT_EXECUTION, {
    id: uuidV7(),
    pipelineName: body.pipeline_name as string,
    status: (body.status ?? 'running') as ExecutionStatus,
    startedAt: (body.started_at as string | undefined) ?? new Date().toISOString(),
    inputFile: (body.input_file as string | undefined) ?? null,
    attempt: (body.attempt as number | undefined) ?? 1,
    rowCounts: JSON.stringify(body.row_counts ?? {}),
    parentId: (body.parent_execution_id as string | undefined) ?? null,
    maxAttempts: (body.max_attempts as number | undefined) ?? null,
    nominalTime: (body.nominal_time as string | undefined) ?? null,
    entryId: uuidV7(),
    payload: JSON.stringify(body),
  });
  return [201, rows[0]];
};

/** Applies the transition as TransitionsService.apply does when it applies (no completed_at, no error). */
const transition: Handler = async (_params, body, id) => {
  const { type, ...payload } = body;
  const rule = TRANSITIONS[type as keyof typeof TRANSITIONS];
  const rows = await statement(q.APPLY_TRANSITION, {
    id,
    to: rule.to,
    from: rule.from,
    terminal: isTerminal(rule.to),
    completedAt: null,
    errorDetails: null,
    rowCounts: JSON.stringify(body.row_counts ?? {}),
    entryId: uuidV7(),
    type: type as keyof typeof TRANSITIONS,
    payload: JSON.stringify(payload),
  });
  return rows.length === 1 ? [201, rows[0]] : [409, { code: 'not applied' }];
};

const listExecutions: Handler = async (params) => {
  const limit = Number(params.get('limit') ?? 50);
  const cursor = params.get('cursor');
  const after = cursor ? decodeCursor(cursor, { s: () => true, t: () => true, i: () => true }) : undefined;
  const { sql, parameters: values } = q.listExecutions(
    { pipelineName: params.get('pipeline_name') ?? undefined, after: after && { startedAt: after.t, id: after.i } },
    '-started_at',
    limit,
  ).compile();
  const rows = (await db.query(sql, [...values])).rows as Record<string, unknown>[];
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const next = rows.length > limit ? Buffer.from(JSON.stringify({ s: '-started_at', t: last.started_at, i: last.execution_id })).toString('base64url') : null;
  return [200, { data, next_cursor: next }];
};

/** The pipelines list's statement with the request's filters; rows as they come (no health or schedule in JS). */
const listPipelines: Handler = async (params) => {
  const limit = Number(params.get('limit') ?? 50);
  const cursor = params.get('cursor');
  const get = (name: string) => params.get(name) ?? '';
  const shape = {
    one: false,
    owner: params.has('owner'),
    team: params.has('team'),
    tag: params.has('tag'),
    q: params.has('q'),
    archived: 'false' as const,
    health: (params.get('health') as 'failing' | null) ?? null,
    after: cursor !== null,
  };
  const after = cursor ? decodeCursor(cursor, { n: () => true }).n : '';
  const values = { name: '', owner: get('owner'), team: get('team'), tag: get('tag'), pattern: `${get('q')}%`, after, fetch: limit + 1, window: '7 days', now: new Date().toISOString() };
  const rows = await statement(pipelineListing(shape), values);
  const data = rows.slice(0, limit);
  const next = rows.length > limit ? Buffer.from(JSON.stringify({ n: data[data.length - 1].name })).toString('base64url') : null;
  return [200, { data, next_cursor: next }];
};

/** The subject of a trend query (a pipeline, or a dataset and column), as the app reads it from the query. */
const subject = (params: URLSearchParams) => {
  const get = (name: string) => params.get(name) ?? undefined;
  return subjectOf({ pipeline_name: get('pipeline_name'), dataset_namespace: get('dataset_namespace'), dataset_name: get('dataset_name'), column: get('column') });
};

/** Every type of the subject (the scenarios name no metric_type). */
const latest: Handler = async (params) => {
  const { shape, values, echo } = subject(params);
  const statement = trends.latestStatement({ ...shape, types: false });
  return [200, { ...echo, data: (await db.query(statement.sql, statement.values({ ...values, types: [] }))).rows }];
};

/** The hourly average, as the scenarios ask for it, with the app's rounding of `from` to the bucket. */
const series: Handler = async (params) => {
  const hour = 3_600_000;
  const to = params.get('to') as string;
  const from = new Date(Math.floor(Date.parse(params.get('from') as string) / hour) * hour).toISOString();
  const type = params.get('metric_type') as string;
  const { shape, values, echo } = subject(params);
  const statement = trends.seriesStatement({ agg: 'avg', wholeHours: true, subject: shape });
  const points = (await db.query(statement.sql, statement.values({ ...values, type, from, to, bucket: '1 hour' }))).rows;
  return [200, { ...echo, metric_type: type, bucket: '1h', agg: 'avg', from, to, points }];
};

function route(method: string, path: string): { handler: Handler; id: string } | undefined {
  if (method === 'POST' && path === '/v1/executions') return { handler: createExecution, id: '' };
  if (method === 'GET' && path === '/v1/executions') return { handler: listExecutions, id: '' };
  if (method === 'GET' && path === '/v1/pipelines') return { handler: listPipelines, id: '' };
  if (method === 'GET' && path === '/v1/metrics/latest') return { handler: latest, id: '' };
  if (method === 'GET' && path === '/v1/metrics/series') return { handler: series, id: '' };
  const events = /^\/v1\/executions\/([0-9a-f-]{36})\/events$/i.exec(path);
  if (method === 'POST' && events) return { handler: transition, id: events[1].toLowerCase() };
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  let status = 404;
  let body: unknown = { code: 'no route' };
  if (url.pathname === '/health') {
    await db.query('select 1');
    [status, body] = [200, { status: 'ok' }];
  } else {
    const found = route(req.method ?? 'GET', url.pathname);
    const payload = await readBody(req);
    if (found) [status, body] = await found.handler(url.searchParams, payload, found.id);
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.end().then(() => process.exit(0));
});
