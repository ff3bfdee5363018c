import 'reflect-metadata';
import { runCli } from './cli.program.js';

// Stdout is the commands' output only (what --json prints must parse whole): whatever a library prints
// through console.log goes to stderr with the logs.
for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;

// The command line: `node dist/cli.js --help` lists the commands (migrate, api-keys, lineage, db roles).
const status = await runCli(process.argv.slice(2));
// process.exit drops what a pipe has not taken yet (a long lint report read by a slow consumer): let
// stdout and stderr drain first; a write's callback runs once everything written before it is out.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(status);
