import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS, type Access, type AccessOf } from '../auth/access.decorator.js';

/** "GET /v1/executions/:execution_id", as Fastify names a route. */
export type RouteKey = `${string} ${string}`;

const joinPath = (...parts: string[]) => `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;
const pathsOf = (target: object): string[] => {
  const path = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
  return Array.isArray(path) ? path : [path ?? ''];
};

/**
 * The access every controller route declares, read as ApiKeyGuard reads it (the method's @RequireScope or
 * @Public, else the controller's, else admin): the one source the OpenAPI document's security comes from.
 */
export function routeAccess(app: INestApplication): Map<RouteKey, Access> {
  const access = new Map<RouteKey, Access>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const declared = (Reflect.getMetadata(ACCESS, handler) ?? Reflect.getMetadata(ACCESS, controller) ?? 'admin') as Access;
        for (const base of pathsOf(controller)) {
          for (const path of pathsOf(handler)) access.set(`${RequestMethod[method]} ${joinPath(base, path)}`, declared);
        }
      }
    }
  }
  return access;
}

/**
 * routeAccess as a lookup, read on first use (once Nest has registered every controller). A HEAD request is
 * served by its GET route (Fastify adds one for each GET), so it needs what the GET declares.
 */
export function accessLookup(app: INestApplication): AccessOf {
  let access: Map<RouteKey, Access> | undefined;
  return (method, url) => {
    access ??= routeAccess(app);
    return access.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
  };
}
