/**
 * A pg.Client's connection settings for a database URL. pg lets the URL's `sslmode` override the `ssl`
 * option (and reads `prefer` and `require` as verify-full), while the ORM's pool is configured from
 * sslOptions(): the URL's sslmode is dropped here so that both kinds of connection behave the same.
 */
export function clientConnection(url: string, ssl: false | { rejectUnauthorized: boolean }): { connectionString: string; ssl: typeof ssl } {
  const parsed = new URL(url);
  parsed.searchParams.delete('sslmode');
  return { connectionString: parsed.toString(), ssl };
}
