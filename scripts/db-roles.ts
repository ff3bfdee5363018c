// `npm run db:roles`: `node dist/cli.js db roles` from the sources (src/roles/roles.ts), with its options.
import 'reflect-metadata';
import { runCli } from '../src/cli.program.js';

process.exit(await runCli(['db', 'roles', ...process.argv.slice(2)]));
