import { createInterface } from 'node:readline/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '../common/domain-error.js';
import { runCompiled } from '../database/typed-sql.js';
import { TABLES_WITH_ROWS } from './destructive-guard.sql.js';

/** config.migrations.guard: MIGRATIONS_FORCE and NODE_ENV=production. */
export interface GuardSettings {
  force: boolean;
  production: boolean;
}

/** Where a confirmation is asked: a person at a terminal, or nobody (a pipeline, a script, a pipe). */
export interface Terminal {
  interactive: boolean;
  ask(question: string): Promise<string>;
}

/** The process's own terminal: interactive when both stdin and stderr are one (stdout may be a pipe of results). */
export function processTerminal(): Terminal {
  return {
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    async ask(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

export class DestructiveCommandRefusedError extends DomainError {
  readonly code = 'DATABASE.DESTRUCTIVE_COMMAND_REFUSED';
  override readonly expose = true;
  constructor(what: string, database: string, why: string) {
    super(`${what} refused on database "${database}": ${why}. Nothing was changed. To go ahead anyway: --force (node dist/cli.js), or MIGRATIONS_FORCE=true on the command line (npx mikro-orm, npm run db:reset).`);
  }
}

/**
 * Flyway's cleanDisabled and Rails' protected environments, for the commands that destroy data (revert
 * every migration, drop the schema): with NODE_ENV=production they need --force; elsewhere, a database
 * whose tables hold rows needs its name typed on a terminal, or --force where there is no terminal. An
 * empty database (the bookkeeping aside) has nothing to lose.
 */
export class DestructiveGuard {
  constructor(
    private readonly orm: MikroORM,
    private readonly settings: GuardSettings,
    private readonly terminal: Terminal = processTerminal(),
  ) {}

  /** Resolves when `what` may run; throws DestructiveCommandRefusedError, having changed nothing, when not. */
  async confirm(what: string, force = false): Promise<void> {
    if (force || this.settings.force) return;
    const database = this.database();
    if (this.settings.production) throw new DestructiveCommandRefusedError(what, database, 'NODE_ENV is production');
    const tables = (await runCompiled(this.orm.em.fork(), TABLES_WITH_ROWS)).map((t) => t.name);
    if (tables.length === 0) return;
    const holding = `its tables hold data (${tables.join(', ')})`;
    if (!this.terminal.interactive) throw new DestructiveCommandRefusedError(what, database, `${holding} and there is no terminal to confirm on`);
    const answer = await this.terminal.ask(`${what} destroys the data in database "${database}": ${holding}.\nType the database name to go on: `);
    if (answer.trim() !== database) throw new DestructiveCommandRefusedError(what, database, `${holding} and the name typed was not "${database}"`);
  }

  private database(): string {
    return decodeURIComponent(new URL(this.orm.config.get('clientUrl') as string).pathname.slice(1));
  }
}
