/**
 * Migration files are named `YYYYMMDD_HHMMSS_slug`, in UTC: names sort in the order they were written,
 * two people rarely collide within one second, and the slug says what the migration does in `ls` and in
 * the tracking table.
 */
export function migrationFileName(timestamp: string, name?: string): string {
  const slug = (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^\d{14}$/.test(timestamp)) throw new Error(`Unexpected migration timestamp "${timestamp}"`);
  if (slug === '') {
    throw new Error('A migration needs a name that says what it does: pass --name, e.g. --name add_owner_column');
  }
  return `${timestamp.slice(0, 8)}_${timestamp.slice(8)}_${slug}`;
}
