import 'reflect-metadata';
import { runCli } from './cli.program.js';

// Stdout is the commands' output only (what --json prints must parse whole): whatever a library prints
// through console.log goes to stderr with the logs.
for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;

// The command line: `node dist/cli.js --help` lists the commands (migrate, api-keys, lineage, db roles).
process.exit(await runCli(process.argv.slice(2)));
