// The command line's parser and exit table, in process: every command answers --help (exit 0) and bad usage
// exits 2 naming what is wrong, before any database is opened.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { runCli } from '../../../src/cli.program.js';

const COMMANDS = [
  [],
  ['migrate'], ['migrate', 'up'], ['migrate', 'down'], ['migrate', 'status'], ['migrate', 'check'], ['migrate', 'repair'], ['migrate', 'drift'], ['migrate', 'lint'],
  ['api-keys'], ['api-keys', 'create'], ['api-keys', 'list'], ['api-keys', 'revoke'],
  ['lineage'], ['lineage', 'replay'],
  ['db'], ['db', 'roles'],
  ['run'],
];

describe('the command line (src/cli.program.ts)', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    const capture = (chunk: string | Uint8Array) => ((out += String(chunk)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => void (out += `${String(line)}\n`));
    jest.spyOn(console, 'error').mockImplementation((line: unknown) => void (out += `${String(line)}\n`));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each(COMMANDS.map((c) => ({ name: c.join(' ') || '(top level)', command: c })))('$name --help prints its usage and exits 0', async ({ command }) => {
    expect(await runCli([...command, '--help'])).toBe(0);
    expect(out).toContain(`Usage: node dist/cli.js ${command.join(' ')}`.trimEnd());
  });

  it('migrate --help lists every exit status', async () => {
    await runCli(['migrate', '--help']);
    for (const status of ['0 done', '1 failed', '2 usage', '3 the history is not intact', '4 (drift)', '5 (lint)']) expect(out).toContain(status);
  });

  it.each([
    [['sideways'], "unknown command 'sideways'"],
    [['migrate', 'sideways'], 'unknown migrate command "sideways"'],
    [['migrate'], 'missing migrate command'],
    [['api-keys', 'rotate'], 'unknown api-keys command "rotate"'],
    [['migrate', 'repair'], "required option '--accept <name>' not specified"],
    [['migrate', 'up', '--sideways'], "unknown option '--sideways'"],
    [['api-keys', 'create', '--name', 'x'], "required option '--scopes <list>' not specified"],
    [['api-keys', 'revoke'], "missing required argument 'id'"],
    [['migrate', 'status', 'extra'], 'too many arguments'],
    [['run', '--pipeline', 'nightly'], "missing required argument 'command'"],
    [['run', '--', 'true'], "required option '--pipeline <name>' not specified"],
    [['run', '--pipeline', 'nightly', '--attempt', '0', '--', 'true'], '--attempt must be an integer from 1 to 1000'],
  ])('%j exits 2 saying %s, with the usage', async (argv, message) => {
    expect(await runCli(argv)).toBe(2);
    expect(out).toContain(message);
    expect(out).toContain('Usage: node dist/cli.js');
  });

  // The arguments are checked before anything connects: against a database that does not answer, a usage
  // error still exits 2 at once instead of waiting DB_CONNECT_TIMEOUT_MS for it.
  it.each([
    [['api-keys', 'create', '--name', 'x', '--scopes', 'read,root'], '--scopes must be a comma list of ingest, read, manage, admin (unknown: root)'],
    [['api-keys', 'create', '--name', ' ', '--scopes', 'read'], 'create needs --name NAME'],
    [['api-keys', 'revoke', 'not-a-key'], 'revoke needs the ID of a key'],
  ])('%j exits 2 saying %s, without waiting for the database', async (argv, message) => {
    const saved = { url: process.env.DATABASE_URL, retry: process.env.DB_CONNECT_TIMEOUT_MS };
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/nowhere';
    process.env.DB_CONNECT_TIMEOUT_MS = '60000';
    try {
      expect(await runCli(argv)).toBe(2);
    } finally {
      for (const [name, value] of [['DATABASE_URL', saved.url], ['DB_CONNECT_TIMEOUT_MS', saved.retry]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(out).toContain(message);
  }, 10_000);
});
