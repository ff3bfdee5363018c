import 'reflect-metadata';
import { runCli } from './cli.program.js';
import { exitWhenDrained } from './common/process-exit.js';

// Stdout is the commands' output only (what --json prints must parse whole): whatever a library prints
// through console.log goes to stderr with the logs.
for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;

// A reader that went away (`… --json | head -c1`) is not the command's failure: without a listener, the
// EPIPE of the next write would end the process with a stack trace (drift drops its scratch database first).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

// The command line: `node dist/cli.js --help` lists the commands (migrate, api-keys, lineage, db roles).
await exitWhenDrained(await runCli(process.argv.slice(2)));
