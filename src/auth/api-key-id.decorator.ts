import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The id of the API key the request was authenticated with: who did a manual action (an incident's
 * timeline records it). Only for authenticated routes; a route without a principal is a wiring mistake.
 */
export const ApiKeyId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (request.principal === undefined) throw new Error('ApiKeyId on a route without an API key');
  return request.principal.id;
});
