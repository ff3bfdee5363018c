import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'supertest';
import { http } from './audit-fixtures.js';
import type { OpenApiContract } from './openapi.js';

/**
 * Follows next_cursor from the first page to the last, checking each page against the OpenAPI document,
 * and returns the `idField` of every row in the order served. `between` runs after each page.
 */
export async function walkPages(
  app: NestFastifyApplication,
  contract: OpenApiContract,
  path: string,
  idField: string,
  query: Record<string, unknown>,
  between?: () => Promise<void>,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await http(app)
      .get(path)
      .query(cursor ? { ...query, cursor } : query)
      .expect(200);
    contract.check('GET', path, res);
    ids.push(...res.body.data.map((row: Record<string, string>) => row[idField]));
    cursor = res.body.next_cursor;
    await between?.();
  } while (cursor);
  return ids;
}
