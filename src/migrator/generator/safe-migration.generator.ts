import { TSMigrationGenerator } from '@mikro-orm/migrations';
import { toSafeForm, type MigrationSql } from './safe-form.js';

/** The second file's slug: what runs outside the transaction, after the first file. */
const ONLINE_SUFFIX = '_online';

const transactionalNote = (online: string) =>
  "// Generated in the safe form (see docs/migrations.md). This part runs in the run's transaction and holds no\n" +
  '// long lock on a table that has rows; the index builds and validations follow outside it, in\n' +
  `// ${online}.\n\n`;

const ONLINE_NOTE =
  '// Generated in the safe form (see docs/migrations.md): the steps that would lock a table that has rows for\n' +
  '// as long as a scan or an index build takes. Outside a transaction, each step commits before the next;\n' +
  '// every step but an ADD … USING INDEX can run again after a failed run.\n\n';

const NOT_TRANSACTIONAL = `  override isTransactional(): boolean {\n    return false; // each step commits before the next; CREATE INDEX CONCURRENTLY cannot run in a transaction\n  }\n\n`;

/**
 * The down() of an online VALIDATE: the constraint as the first part added it, NOT VALID again (PostgreSQL
 * cannot un-validate one), so that reverting the online part restores exactly the schema before it.
 */
function notValidAgain(transactionalUp: string[], onlineUp: string[]): string[] {
  const undo: string[] = [];
  for (const step of onlineUp) {
    const validate = /^(alter table "[^"]+") validate constraint ("[^"]+");$/.exec(step);
    if (!validate) continue;
    const [, head, name] = validate;
    const added = transactionalUp.map((sql) => new RegExp(`add constraint ${name} (.*?) not valid`).exec(sql)).find(Boolean);
    if (added) undo.unshift(`${head} drop constraint ${name};`, `${head} add constraint ${name} ${added[1]} not valid;`);
  }
  return undo;
}

interface MigrationFileName {
  className: string;
  /** The name without extension: the migration's name in the tracking table. */
  base: string;
  fileName: string;
}

/**
 * `npx mikro-orm migration:create` (npm run db:create-migration) through the root mikro-orm.config.ts: the
 * migration MikroORM generates, rewritten into the form `migrate lint` accepts (safe-form.ts). When part of
 * it must run outside a transaction, two files: NAME, transactional, and NAME_online one second later, so
 * that it sorts and runs after it, not transactional. Otherwise one file, as MikroORM writes it.
 */
export class SafeMigrationGenerator extends TSMigrationGenerator {
  override async generate(diff: MigrationSql, path?: string, name = ''): Promise<[string, string]> {
    const { transactional, online: moved } = toSafeForm(diff);
    const online = { up: moved.up, down: [...notValidAgain(transactional.up, moved.up), ...moved.down] };
    if (online.up.length === 0) return super.generate(diff, path, name);
    const dir = await this.directory(path);
    const now = Date.now();
    if (transactional.up.length === 0) return this.write(dir, this.named(now, name), online, ONLINE_NOTE, true);
    const first = this.named(now, name);
    const second = this.named(now + 1000, `${name}${ONLINE_SUFFIX}`);
    const [code] = await this.write(dir, first, transactional, transactionalNote(second.base), false);
    await this.write(dir, second, online, ONLINE_NOTE, true);
    // MikroORM's CLI prints "<fileName> successfully created": both, so that nobody commits one alone.
    return [code, `${first.fileName} and ${second.fileName}`];
  }

  private named(at: number, name: string): MigrationFileName {
    const timestamp = new Date(at).toISOString().replace(/[-T:]|\.\d{3}z$/gi, '');
    const className = this.namingStrategy.classToMigrationName(timestamp, name);
    const base = this.options.fileName?.(timestamp, name) ?? className;
    return { className, base, fileName: `${base}.${this.options.emit}` };
  }

  private async directory(path?: string): Promise<string> {
    const { fs } = await import('@mikro-orm/core/fs-utils');
    const fallback = this.options.emit === 'ts' && this.options.pathTs ? this.options.pathTs : this.options.path;
    const dir = fs.normalizePath(this.driver.config.get('baseDir'), path ?? fallback ?? 'migrations');
    fs.ensureDir(dir);
    return dir;
  }

  private async write(dir: string, file: MigrationFileName, sql: MigrationSql, note: string, online: boolean): Promise<[string, string]> {
    const { fs } = await import('@mikro-orm/core/fs-utils');
    let code = (await this.generateMigrationFile(file.className, sql)).replace(/^(import [^\n]*\n\n)/, `$1${note}`);
    if (online) code = code.replace(`  override name = '${file.className}';\n\n`, (line) => `${line}${NOT_TRANSACTIONAL}`);
    await fs.writeFile(`${dir}/${file.fileName}`, code, { flush: true });
    return [code, file.fileName];
  }
}
