import type { FastifyInstance } from 'fastify';
import { DomainError } from '../common/domain-error.js';

export class TooManyItemsError extends DomainError {
  readonly code = 'REQUEST.TOO_MANY_ITEMS';
  constructor(field: string, limit: number, got: number) {
    super(`${field} holds ${got} items; at most ${limit} per request`);
  }
}

/** Per-route limits declared with @RouteConfig and applied before Fastify parses or validates the body. */
export interface RouteLimits {
  /** Use the larger body limit meant for batch uploads. */
  largeBody?: boolean;
  /**
   * Refuse (413) a body whose array `field` has more than `limit` items, before validating each one;
   * without `field`, the body itself is the array.
   */
  maxItems?: { field?: string; limit: number };
}

export function applyRouteLimits(fastify: FastifyInstance, largeBodyLimit: number): void {
  fastify.addHook('onRoute', (route) => {
    const limits = route.config as RouteLimits | undefined;
    if (limits?.largeBody) route.bodyLimit = largeBodyLimit;
    const maxItems = limits?.maxItems;
    if (!maxItems) return;
    const check = async (request: { body: unknown }) => {
      const items = maxItems.field === undefined ? request.body : (request.body as Record<string, unknown> | null)?.[maxItems.field];
      if (Array.isArray(items) && items.length > maxItems.limit) throw new TooManyItemsError(maxItems.field ?? 'the body', maxItems.limit, items.length);
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [...(Array.isArray(existing) ? existing : [existing]), check] : [check];
  });
}
