import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { http, type Execution } from '../../support/audit-fixtures.js';
import { useApp } from '../../support/app.js';
import { eventually } from '../../support/eventually.js';
import { finished, wrapper } from '../../support/run-wrapper.js';

// The `run` wrapper, built, against the real service over HTTP: what a cron job's run leaves in the API.
describe('run: a wrapped command reported as a run', () => {
  const f = useApp();
  let env: Record<string, string>;
  const runs = async (pipeline: string) => (await http(f.t.app).get(`/v1/executions?pipeline_name=${pipeline}`).expect(200)).body.data as Execution[];
  const onlyRun = async (pipeline: string) => {
    const found = await runs(pipeline);
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    await f.t.app.listen(0, '127.0.0.1');
    const { port } = f.t.app.getHttpServer().address() as AddressInfo;
    env = { PIPELINE_LEDGER_URL: `http://127.0.0.1:${port}`, PIPELINE_LEDGER_API_KEY: f.t.key };
  });

  it('a command that succeeds: its output passes through unchanged, the run succeeds with the attempt and input file given, nothing else is printed', async () => {
    const run = await finished(
      wrapper(['--pipeline', 'wrap_ok', '--attempt', '2', '--input-file', 's3://landing/x.csv', '--', 'sh', '-c', 'printf "out\\nid=%s" "$PIPELINE_LEDGER_EXECUTION_ID"; echo note >&2'], env),
    );
    expect(run.code).toBe(0);
    const id = /^out\nid=([0-9a-f-]{36})$/.exec(run.stdout)?.[1];
    expect(run.stderr).toBe('note\n');
    expect(await onlyRun('wrap_ok')).toMatchObject({ execution_id: id, status: 'succeeded', attempt: 2, input_file: 's3://landing/x.csv', error_details: null });
  });

  it('a command that fails: the wrapper exits with its status; the run failed with the status, the duration and the last 20 lines of stderr', async () => {
    const run = await finished(wrapper(['--pipeline', 'wrap_fail', '--', 'sh', '-c', 'for i in $(seq 1 30); do echo "problem $i" >&2; done; exit 3'], env));
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(Array.from({ length: 30 }, (_, i) => `problem ${i + 1}\n`).join(''));
    const failed = await onlyRun('wrap_fail');
    expect(failed.status).toBe('failed');
    const [head, ...tail] = (failed.error_details as string).split('\n');
    expect(head).toMatch(/^sh: exit status 3 after \d+\.\d s$/);
    expect(tail).toEqual(['--- the end of its stderr ---', ...Array.from({ length: 20 }, (_, i) => `problem ${i + 11}`)]);
  });

  it('a command that is not found: exit 127 as from a shell, one line saying so, and the run failed', async () => {
    const run = await finished(wrapper(['--pipeline', 'wrap_missing', '--', 'no-such-command-4f1d', '--flag'], env));
    expect(run.code).toBe(127);
    expect(run.stderr).toBe('pipeline-ledger run: no-such-command-4f1d: command not found (exit status 127)\n');
    expect((await onlyRun('wrap_missing')).error_details).toMatch(/^no-such-command-4f1d: command not found \(exit status 127\) after/);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s to the wrapper reaches the command; the wrapper exits %i, the status of a command ended by it', async (signal, status) => {
    const pipeline = `wrap_${signal.toLowerCase()}`;
    const run = wrapper(['--pipeline', pipeline, '--', 'sh', '-c', 'echo started >&2; exec sleep 30'], env);
    await run.waitForStderr(/started/);
    expect(await eventually(async () => (await runs(pipeline)).length === 1)).toBe(true);
    run.child.kill(signal);
    const { code, ms } = await run.exited;
    expect(code).toBe(status);
    expect(ms).toBeLessThan(15_000);
    expect((await onlyRun(pipeline)).error_details).toMatch(new RegExp(`^sh: killed by ${signal} \\(exit status ${status}\\)`));
  });

  it('a command that handles the signal decides: its trap runs and its own status is the wrapper\'s', async () => {
    const run = wrapper(['--pipeline', 'wrap_trap', '--', 'sh', '-c', 'trap "echo trapped >&2; exit 7" TERM; echo started >&2; while :; do sleep 0.1; done'], env);
    await run.waitForStderr(/started/);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(7);
    expect(run.stderr()).toContain('trapped');
    expect((await onlyRun('wrap_trap')).error_details).toMatch(/^sh: exit status 7 after/);
  });

  it('the command does not see the wrapper\'s key, but gets the run\'s id and the rest of the environment', async () => {
    const show = 'printf "key=%s id=%s url=%s" "${PIPELINE_LEDGER_API_KEY-unset}" "${PIPELINE_LEDGER_EXECUTION_ID-unset}" "${PIPELINE_LEDGER_URL-unset}"';
    const run = await finished(wrapper(['--pipeline', 'wrap_env', '--', 'sh', '-c', show], env));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`key=unset id=${(await onlyRun('wrap_env')).execution_id} url=${env.PIPELINE_LEDGER_URL}`);
    expect(run.stdout).not.toContain(f.t.key);
  });

  it('the documented retry loop: attempts 1 and 2 of 3 failing open no incident, attempt 3 failing opens one', async () => {
    const incidents = async () => (await http(f.t.app).get('/v1/incidents').query({ pipeline_name: 'wrap_retry', kind: 'run_failed', status: 'open' }).expect(200)).body.data as unknown[];
    const attempt = (n: number) => finished(wrapper(['--pipeline', 'wrap_retry', '--attempt', String(n), '--max-attempts', '3', '--', 'sh', '-c', 'exit 4'], env));
    for (const n of [1, 2]) expect((await attempt(n)).code).toBe(4);
    const failed = (attempt: number) => expect.objectContaining({ attempt, max_attempts: 3, status: 'failed' });
    expect(await runs('wrap_retry')).toEqual(expect.arrayContaining([failed(1), failed(2)]));
    expect(await incidents()).toEqual([]);
    expect((await attempt(3)).code).toBe(4);
    expect(await incidents()).toHaveLength(1);
  });

  it('--parent-execution-id is recorded with the run', async () => {
    const parent = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect((await finished(wrapper(['--pipeline', 'wrap_child', '--parent-execution-id', parent, '--', 'true'], env))).code).toBe(0);
    expect(await onlyRun('wrap_child')).toMatchObject({ parent_execution_id: parent, status: 'succeeded' });
  });

  it('a key the service refuses: the command still runs and keeps its status; one line names the answer, never the key', async () => {
    const wrong = `${f.t.key.slice(0, -4)}AAAA`;
    const run = await finished(wrapper(['--pipeline', 'wrap_badkey', '--', 'sh', '-c', 'echo ran; exit 5'], { ...env, PIPELINE_LEDGER_API_KEY: wrong }));
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('ran\n');
    expect(run.stderr).toBe(`pipeline-ledger run: could not report the start of "wrap_badkey" to ${env.PIPELINE_LEDGER_URL} (HTTP 401 AUTH.INVALID_KEY); the command runs anyway\n`);
    expect(run.stdout + run.stderr).not.toContain(wrong.slice(12));
    expect(await runs('wrap_badkey')).toEqual([]);
  });
});
