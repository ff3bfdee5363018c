/** pg-boss keeps its tables here, apart from ours (installed by migrations/20261204_131323_install_pgboss_v46.ts). */
export const PGBOSS_SCHEMA = 'pgboss';

/**
 * The pg-boss schema version the installed package (12.38.1, pinned exactly) expects, and the migrations
 * install. A spec holds it against the package's own manifest, so an upgrade that changes the schema fails
 * until a migration brings the database along (docs/jobs.md, "Upgrading pg-boss").
 */
export const PGBOSS_SCHEMA_VERSION = 46;
