import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { http, type Execution } from '../../support/audit-fixtures.js';
import { useApp } from '../../support/app.js';
import { freePort } from '../../support/disposable-postgres.js';
import { finished, wrapper } from '../../support/run-wrapper.js';

// The service away, hung or failing: the command runs all the same, keeps its status, and one line says why.
const KEY = `pl_0123abcd_${'k'.repeat(43)}`;
const listen = (server: Server | HttpServer) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('run: the service unreachable or hung', () => {
  let silent: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers: only the wrapper's timeout ends its wait.
    silent = createServer((socket) => void sockets.push(socket));
    await listen(silent);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a closed port: the command runs, its status is kept, one line on stderr says so, never the key', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await finished(wrapper(['--pipeline', 'nowhere', '--', 'sh', '-c', 'echo ran; echo oops >&2; exit 3'], { PIPELINE_LEDGER_URL: url, PIPELINE_LEDGER_API_KEY: KEY }));
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('ran\n');
    expect(run.stderr.split('\n').filter((line) => line.startsWith('pipeline-ledger run:'))).toEqual([
      `pipeline-ledger run: could not report the start of "nowhere" to ${url} (ECONNREFUSED); the command runs anyway`,
    ]);
    expect(run.stderr).toContain('oops\n');
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it('a service that never answers holds the job up by PIPELINE_LEDGER_TIMEOUT_MS at most', async () => {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const env = { PIPELINE_LEDGER_URL: url, PIPELINE_LEDGER_API_KEY: KEY, PIPELINE_LEDGER_TIMEOUT_MS: '700' };
    const run = await finished(wrapper(['--pipeline', 'hung', '--', 'sh', '-c', 'exit 4'], env));
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^pipeline-ledger run: could not report the start of "hung" to http:\/\/127\.0\.0\.1:\d+ \(no answer within 700 ms\); the command runs anyway\n$/);
    // Start-up of the command line (about 1 s on a loaded machine), then at most 700 ms for the start and 700 ms for the end.
    expect(run.ms).toBeLessThan(6_000);
  });

  it('no PIPELINE_LEDGER_URL: the command runs, one line names what is missing', async () => {
    const run = await finished(wrapper(['--pipeline', 'unset', '--', 'sh', '-c', 'exit 0'], {}));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^pipeline-ledger run: not reporting to Pipeline Ledger: PIPELINE_LEDGER_URL must be .*; PIPELINE_LEDGER_API_KEY must be .*; the command runs anyway\n$/);
  });
});

describe('run: the start lost, the end delivered', () => {
  const f = useApp();
  let front: HttpServer;
  let frontUrl: string;
  /** What the front does with the next start: refuse it (503), or pass it on and answer 502 as if the answer was lost. */
  let nextStart: 'refuse' | 'lose-answer' = 'refuse';

  beforeAll(async () => {
    await f.t.app.listen(0, '127.0.0.1');
    const app = `http://127.0.0.1:${(f.t.app.getHttpServer().address() as AddressInfo).port}`;
    // A gateway in front of the service that spoils the first report of each run, then passes everything on.
    front = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', async () => {
        const spoil = req.url === '/v1/executions' && !body.includes('started_at');
        if (spoil && nextStart === 'refuse') return void res.writeHead(503).end();
        const answer = await fetch(`${app}${req.url}`, { method: req.method, headers: { authorization: req.headers.authorization as string, 'content-type': 'application/json' }, body });
        if (spoil) return void res.writeHead(502).end();
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
      });
    });
    frontUrl = `http://127.0.0.1:${await listen(front)}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => front.close(resolve));
  });

  it.each(['refuse', 'lose-answer'] as const)('start %s: the start is sent again with the end, and the run is recorded once, with its outcome', async (mode) => {
    nextStart = mode;
    const pipeline = `lost_start_${mode.replace('-', '_')}`;
    const run = await finished(wrapper(['--pipeline', pipeline, '--', 'sh', '-c', 'sleep 0.3; echo bad >&2; exit 2'], { PIPELINE_LEDGER_URL: frontUrl, PIPELINE_LEDGER_API_KEY: f.t.key }));
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('pipeline-ledger run:'))).toEqual([
      `pipeline-ledger run: could not report the start of "${pipeline}" to ${frontUrl} (HTTP ${mode === 'refuse' ? 503 : 502}); the command runs anyway`,
    ]);
    const runs = (await http(f.t.app).get(`/v1/executions?pipeline_name=${pipeline}`).expect(200)).body.data as Execution[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'failed', error_details: expect.stringMatching(/^sh: exit status 2 after [\d.]+ s\n--- the end of its stderr ---\nbad$/) });
    // Started when the command started, not when the end was reported.
    expect(Date.parse(runs[0].completed_at as string) - Date.parse(runs[0].started_at)).toBeGreaterThanOrEqual(250);
  });
});
