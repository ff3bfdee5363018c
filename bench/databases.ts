// The benchmark's databases on one server: a migrated template per schema version, fresh clones of it,
// and the generated large tables, cached between runs (generating 5 million rows takes minutes here).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startDisposablePostgres } from '../test/support/disposable-postgres.js';
import { GENERATED, generate, type DataKind } from './generate.js';
import { APP_DIST, migrate } from './support.js';

type KeyCredentials = typeof import('../src/auth/api-key-credentials.js');

export interface GeneratedData {
  url: string;
  rows: number;
  generationSeconds: number;
  /** When the rows were generated: their "now" (the 30 days of history end there). */
  generatedAt: string;
  cached: boolean;
}

/**
 * Names carry a hash of the compiled migrations and of the generating SQL: a schema or generator change
 * makes new databases, and the run drops the stale ones (bench_tpl_* and bench_data_* of other hashes).
 * A cached data database is complete only once its comment (generation time) is set, the last step.
 */
export class BenchDatabases {
  private readonly key: string;
  private template?: Promise<string>;
  private readonly data = new Map<DataKind, Promise<GeneratedData>>();

  private constructor(
    private readonly admin: URL,
    readonly server: string,
    private readonly smoke: boolean,
    readonly close: () => Promise<void>,
  ) {
    const hash = createHash('sha256');
    const dir = join(APP_DIST, 'migrations');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) hash.update(file).update(readFileSync(join(dir, file)));
    for (const spec of Object.values(GENERATED)) hash.update(spec.sql(1));
    this.key = hash.digest('hex').slice(0, 10);
  }

  /** BENCH_DATABASE_URL's server (default: the local one at 127.0.0.1:5432), else an embedded one for this run. */
  static async open(smoke: boolean): Promise<BenchDatabases> {
    const admin = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    const probe = new pg.Client({ connectionString: admin.toString() });
    if (await probe.connect().then(() => true, () => false)) {
      const { rows } = await probe.query<{ v: string }>("select current_setting('server_version') as v");
      await probe.end();
      return new BenchDatabases(admin, `PostgreSQL ${rows[0].v} at ${admin.host}`, smoke, async () => undefined);
    }
    const embedded = await startDisposablePostgres();
    return new BenchDatabases(new URL(embedded.url('postgres')), 'embedded PostgreSQL 18', smoke, () => embedded.destroy());
  }

  urlFor(database: string): string {
    const url = new URL(this.admin);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async withAdmin<T>(work: (client: pg.Client) => Promise<T>, database = this.admin.pathname.slice(1)): Promise<T> {
    const client = new pg.Client({ connectionString: this.urlFor(database) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** Drops the benchmark databases of other schema or generator versions. */
  async dropStale(): Promise<string[]> {
    return this.withAdmin(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `select datname as name from pg_database where (datname like 'bench\\_tpl\\_%' or datname like 'bench\\_data\\_%') and datname not like $1`,
        [`%\\_${this.key}`],
      );
      for (const { name } of rows) await client.query(`drop database if exists "${name}" with (force)`);
      return rows.map((r) => r.name);
    });
  }

  /** The migrated, empty template of this schema version (migrated once, kept between runs). */
  templateName(): Promise<string> {
    this.template ??= (async () => {
      const name = `bench_tpl_${this.key}`;
      const ready = await this.withAdmin(async (client) => {
        const { rows } = await client.query(`select 1 from pg_database where datname = $1 and shobj_description(oid, 'pg_database') = 'migrated'`, [name]);
        if (rows.length === 0) await client.query(`drop database if exists "${name}" with (force)`).then(() => client.query(`create database "${name}"`));
        return rows.length > 0;
      });
      if (!ready) {
        migrate(this.urlFor(name));
        await this.withAdmin((client) => client.query(`comment on database "${name}" is 'migrated'`));
      }
      return name;
    })();
    return this.template;
  }

  /**
   * `create database … template …` as the e2e setup does it (test/support/test-database.ts), retried
   * while another session is still connected to the template.
   */
  async clone(name: string, template: string, client: pg.Client): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${template}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** A fresh migrated database `bench_<name>`, replaced if it exists. */
  async fresh(name: string): Promise<string> {
    const template = await this.templateName();
    await this.withAdmin(async (client) => {
      await client.query(`drop database if exists "bench_${name}" with (force)`);
      await this.clone(`bench_${name}`, template, client);
    });
    return this.urlFor(`bench_${name}`);
  }

  /** The generated tables of `kind`, from the cache when this schema and generator made them before. */
  generated(kind: DataKind): Promise<GeneratedData> {
    let data = this.data.get(kind);
    if (!data) this.data.set(kind, (data = this.generateOrReuse(kind)));
    return data;
  }

  private async generateOrReuse(kind: DataKind): Promise<GeneratedData> {
    const rows = this.smoke ? GENERATED[kind].smoke : GENERATED[kind].full;
    const name = `bench_data_${kind}_${rows}_${this.key}`;
    const url = this.urlFor(name);
    const cached = await this.withAdmin(async (client) => {
      const { rows: found } = await client.query<{ c: string | null }>(`select shobj_description(oid, 'pg_database') as c from pg_database where datname = $1`, [name]);
      return found[0]?.c ? (JSON.parse(found[0].c) as { generationSeconds: number; generatedAt: string }) : undefined;
    });
    if (cached) return { url, rows, ...cached, cached: true };
    const template = await this.templateName();
    await this.withAdmin(async (client) => {
      await client.query(`drop database if exists "${name}" with (force)`);
      await this.clone(name, template, client);
    });
    const generatedAt = new Date().toISOString();
    console.log(`generating ${rows.toLocaleString('en')} ${kind} rows in ${name} (kept for later runs of this schema)…`);
    const generationSeconds = await this.withAdmin((client) => generate(client, kind, rows), name);
    console.log(`generated in ${generationSeconds.toFixed(1)} s`);
    const note = JSON.stringify({ generationSeconds: Number(generationSeconds.toFixed(1)), generatedAt });
    await this.withAdmin((client) => client.query(`comment on database "${name}" is '${note}'`));
    return { url, rows, generationSeconds, generatedAt, cached: false };
  }

  /** Inserts an API key of every scope (the app's own key format and hash) and returns the key. */
  async addKey(url: string): Promise<string> {
    const credentials = (await import(new URL(`file://${APP_DIST}/src/auth/api-key-credentials.js`).href)) as KeyCredentials;
    const { key, prefix, hash } = credentials.generateKey();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`delete from api_keys where name = 'benchmark'`);
      await client.query(`insert into api_keys (id, name, prefix, hash, scopes) values (gen_random_uuid(), 'benchmark', $1, $2, '{admin,ingest,read}')`, [prefix, hash]);
    } finally {
      await client.end();
    }
    return key;
  }
}
