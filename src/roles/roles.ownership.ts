import type pg from 'pg';

// Who owns what in schema public, and what a role was granted there: read from the catalogs, because
// information_schema shows only grants that involve the current role.

interface Owned {
  kind: string;
  /** Already quoted: regclass, regprocedure and regtype text. */
  name: string;
}

/**
 * Objects in schema public the owner role does not own, with the keyword ALTER needs for each. Sequences
 * that belong to a column are left out: they follow their table's owner.
 */
export async function notOwnedBy(client: pg.Client, owner: string): Promise<Owned[]> {
  const { rows } = await client.query<Owned>(
    `select case c.relkind when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW' when 'S' then 'SEQUENCE' else 'TABLE' end as kind,
            c.oid::regclass::text as name
       from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
        and c.relowner <> $1::regrole
        and not exists (select 1 from pg_depend d
                         where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
     union all
     select case p.prokind when 'p' then 'PROCEDURE' else 'FUNCTION' end, p.oid::regprocedure::text
       from pg_proc p
      where p.pronamespace = 'public'::regnamespace and p.prokind in ('f', 'p') and p.proowner <> $1::regrole
     union all
     select case t.typtype when 'd' then 'DOMAIN' else 'TYPE' end, t.oid::regtype::text
       from pg_type t
      where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'r', 'm') and t.typowner <> $1::regrole
     order by 2`,
    [owner],
  );
  return rows;
}

/**
 * Hands every object in public to the owner role, so that migrations running as it can alter and drop
 * them: for a database whose tables were created by another role (an earlier single-role deployment).
 */
export async function reassignTo(client: pg.Client, owner: string): Promise<string[]> {
  const objects = await notOwnedBy(client, owner);
  for (const { kind, name } of objects) {
    await client.query(`alter ${kind} ${name} owner to ${client.escapeIdentifier(owner)}`);
  }
  return objects.map(({ kind, name }) => `${kind.toLowerCase()} ${name}`);
}

/** Each table and view in public with the privileges `role` holds on it directly (not through PUBLIC). */
export async function tablePrivileges(client: pg.Client, role: string): Promise<{ name: string; privileges: string }[]> {
  const { rows } = await client.query<{ name: string; privileges: string | null }>(
    `select c.relname as name,
            (select string_agg(a.privilege_type, ', ' order by a.privilege_type)
               from aclexplode(c.relacl) a where a.grantee = $1::regrole) as privileges
       from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
      order by 1`,
    [role],
  );
  return rows.map((r) => ({ name: r.name, privileges: r.privileges ?? 'none' }));
}
