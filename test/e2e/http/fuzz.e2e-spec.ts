import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiKeysService } from '../../../src/auth/api-keys.service.js';
import { useApp } from '../../support/app.js';
import { http } from '../../support/audit-fixtures.js';
import { requestsFor, type FuzzContext } from '../../support/fuzz-families.js';
import { fault, openBug, rowCounts, send } from '../../support/fuzz-oracle.js';
import { RUNNING_SINCE, type Fixtures } from '../../support/fuzz-params.js';
import type { FuzzRequest } from '../../support/fuzz-requests.js';
import { routeSpecs } from '../../support/fuzz-routes.js';

// Property-based fuzzing of every route of the OpenAPI document: generated malformed requests (bodies,
// query strings, path parameters, headers, keys) never get a 5xx, every 4xx is problem+json without
// internals, and the row counts of every table stay as they were. FUZZ_RUNS (default 500 per route) and
// FUZZ_SEED choose the run (`npm run test:fuzz` is the long one); FUZZ_VERBOSE=1 prints the answers per kind
// of request and the time spent on each.

const RUNS = Number(process.env.FUZZ_RUNS) || 500;
const SEED = Number(process.env.FUZZ_SEED) || 20_261_122;
const VERBOSE = process.env.FUZZ_VERBOSE === '1';

/** Arranged before fuzzing, with ids chosen here so that the generators can name them. */
const FX: Fixtures = {
  pipeline: 'fuzz_fixture',
  running: '01936f00-0000-7000-8000-00000000f001',
  succeeded: '01936f00-0000-7000-8000-00000000f002',
};
const ROUTES = routeSpecs(FX).map((s) => s.route);

/** A seed per route, so that adding a route does not change what the others get. */
const seedFor = (route: string) => [...route].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, SEED);
const clip = (s: string) => (s.length > 400 ? `${s.slice(0, 400)}…` : s);

describe('fuzzing: generated malformed requests to every route never get a 5xx, get problem+json, and write nothing', () => {
  // Thousands of requests, many without a valid key, from one address: both limits off here (each has its own suite).
  const f = useApp({ RATE_LIMIT_MAX: '0', AUTH_FAILURE_LIMIT: '0' });
  let ctx: FuzzContext;
  let baseline: Record<string, number>;
  const openBugs = new Map<string, number>();

  beforeAll(async () => {
    const app = f.t.app;
    await http(app).post('/v1/executions').send({ execution_id: FX.running, pipeline_name: FX.pipeline, started_at: RUNNING_SINCE }).expect(201);
    await http(app).post('/v1/executions').send({ execution_id: FX.succeeded, pipeline_name: FX.pipeline }).expect(201);
    await http(app).post(`/v1/executions/${FX.succeeded}/events`).send({ type: 'succeed' }).expect(201);
    const keys = app.get(ApiKeysService);
    const scoped = async (scope: 'read' | 'ingest' | 'manage' | 'admin') => (await keys.create(`fuzz ${scope}`, [scope])).key;
    const revoked = await keys.create('fuzz revoked', ['admin', 'ingest', 'read']);
    await keys.revoke(revoked.info.id);
    const doc = (await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, object> }>();
    const methods = Object.fromEntries(Object.entries(doc.paths).map(([path, ops]) => [path, Object.keys(ops)]));
    ctx = { key: f.t.key, scoped: { read: await scoped('read'), ingest: await scoped('ingest'), manage: await scoped('manage'), admin: await scoped('admin') }, revokedKey: revoked.key, methods };
    baseline = await rowCounts(f.db.url);
  });

  afterAll(() => {
    if (openBugs.size > 0) process.stdout.write(`fuzz: answers matching open bugs: ${JSON.stringify(Object.fromEntries(openBugs))}\n`);
  });

  it('has a generator for every route of the OpenAPI document, and none for a route it does not document', () => {
    const documented = Object.entries(ctx.methods).flatMap(([path, methods]) => methods.map((m) => `${m.toUpperCase()} ${path}`));
    expect([...ROUTES].sort()).toEqual(documented.sort());
  });

  it.each(ROUTES)(`%s: ${RUNS} malformed requests`, async (route) => {
    const spec = routeSpecs(FX).find((s) => s.route === route)!;
    const statuses = new Map<string, number>();
    const spent = new Map<string, number>();
    const check = async (r: FuzzRequest) => {
      const started = performance.now();
      const answer = await send(f.t.app, r);
      const tally = `${r.family} → ${answer.status}`;
      statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
      spent.set(r.family, (spent.get(r.family) ?? 0) + performance.now() - started);
      const why = fault(r, answer);
      if (why === undefined) return;
      const bug = openBug(r, answer);
      if (bug) return void openBugs.set(bug, (openBugs.get(bug) ?? 0) + 1);
      throw new Error(`${why}\n  request: ${r.describe()}\n  answer: ${answer.status} ${answer.contentType} ${clip(answer.body)}`);
    };
    await fc.assert(fc.asyncProperty(requestsFor(spec, ctx), check), { seed: seedFor(route), numRuns: RUNS });
    if (VERBOSE) {
      const ms = [...spent].map(([k, t]) => `${k} ${Math.round(t)} ms`).join(', ');
      process.stdout.write(`${route} (${ms})\n${[...statuses].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n')}\n`);
    }
    expect(await rowCounts(f.db.url)).toEqual(baseline);
  }, Math.max(120_000, RUNS * 60));
});
