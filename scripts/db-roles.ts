// `npm run db:roles`: sets up the owner and runtime database roles (src/database/roles.ts).
import { loadRolesConfig } from '../src/config/roles.config.js';
import { ConfigError } from '../src/config/env-parsers.js';
import { ROLES_USAGE, runRolesCommand } from '../src/roles/roles.command.js';

runRolesCommand(process.argv.slice(2), () => loadRolesConfig(process.env), console.log).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof ConfigError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    const code = (error as { code?: unknown }).code;
    console.error(usage ? `${(error as Error).message}\n\n${ROLES_USAGE}` : `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`);
    process.exit(usage ? 2 : 1);
  },
);
