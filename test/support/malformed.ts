import { expect } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { http } from './audit-fixtures.js';

export interface MalformedCase {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  /** An object is sent as JSON; a string as the raw body with `type`. */
  body?: unknown;
  type?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  status: number;
  /** A JSON pointer the problem's `errors` must name. */
  pointer?: string;
}

/**
 * Sends one malformed request and checks what a client sees: the expected 4xx as problem+json without
 * internals, the offending field named, and `rows()` (the tables the route writes) unchanged.
 */
export async function expectRejected(app: NestFastifyApplication, c: MalformedCase, rows: () => Promise<unknown>): Promise<void> {
  const before = await rows();
  let req = http(app)[c.method](c.path);
  if (c.query) req = req.query(c.query);
  for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value);
  if (typeof c.body === 'string') req = req.set('content-type', c.type ?? 'application/json').send(c.body);
  else if (c.body !== undefined) req = req.send(c.body as object);
  const res = await req;
  expect(res.status).toBe(c.status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', status: c.status, title: expect.any(String), instance: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat \w+ \(|select |insert |node_modules/i);
  if (c.pointer) expect(res.body.errors).toContainEqual(expect.objectContaining({ pointer: c.pointer }));
  expect(await rows()).toEqual(before);
}
