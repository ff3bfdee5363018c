// Drops what this run created on a server we do not own, and stops a server we started.
import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__PL_TEST_SERVER__;
  if (!state) return;
  const { server, prefix } = state;
  if (server.provider === 'url') {
    const admin = new pg.Client({ connectionString: server.adminUrl.toString() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1`,
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await admin.query(`drop database if exists "${datname}" with (force)`);
      }
    } finally {
      await admin.end();
    }
  }
  await server.stop();
}
