import 'reflect-metadata';
import { runCli } from './cli.program.js';

// The command line: `node dist/cli.js --help` lists the commands (migrate, api-keys, lineage, db roles).
process.exit(await runCli(process.argv.slice(2)));
