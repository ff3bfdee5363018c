import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/app.config.js';
import { buildOrmOptions } from './orm-options.js';
import { TABLE_COLUMNS } from './schema.js';

// The typed queries' tables (schema.ts) against the entities the migrations are generated from: a column
// renamed, added or dropped in an entity fails here until schema.ts says the same, and then the compiler
// finds every query that used it. MikroORM connects lazily: this placeholder database is never dialled.
describe('the typed query schema', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await MikroORM.init(buildOrmOptions(loadConfig({ DATABASE_URL: 'postgres://schema@127.0.0.1:1/schema' }), { logger: () => undefined }));
  });
  afterAll(() => orm.close(true));

  const entityColumns = (table: string) => {
    const meta = [...orm.getMetadata()].find((m) => m.tableName === table);
    if (!meta) throw new Error(`no entity has the table ${table}`);
    return meta.props.filter((p) => p.persist !== false && p.fieldNames?.length).flatMap((p) => p.fieldNames).sort();
  };

  it.each(Object.keys(TABLE_COLUMNS))('declares exactly the columns of the entity of %s', (table) => {
    expect([...TABLE_COLUMNS[table as keyof typeof TABLE_COLUMNS]].sort()).toEqual(entityColumns(table));
  });
});
