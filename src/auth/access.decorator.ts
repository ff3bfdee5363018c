import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from './api-key.entity.js';

export const ACCESS = 'pipeline-ledger:access';
export type Access = ApiKeyScope | 'public';

/** The access of a route by Fastify's method and route URL; undefined for a route no controller declares. */
export type AccessOf = (method: string, url: string) => Access | undefined;

/** The scope a route needs; routes that declare none need `admin`, so a forgotten one fails closed. */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(ACCESS, scope);

/** No key needed (health probes). */
export const Public = () => SetMetadata(ACCESS, 'public' satisfies Access);
