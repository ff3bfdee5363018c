import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { ACCESS, type Access } from './access.decorator.js';
import { bearerToken } from './api-key-credentials.js';
import { ApiKeysService, type Principal } from './api-keys.service.js';
import { InsufficientScopeError, InvalidApiKeyError, MissingApiKeyError, RateLimitedError } from './auth.errors.js';
import { RateLimiter } from './rate-limiter.js';
import { CLOCK, type Clock } from '../jobs/clock.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request was made with, once the guard has accepted it. */
    principal?: Principal;
  }
}

/**
 * Every route needs `Authorization: Bearer <key>` with the scope it declares, except those marked
 * @Public(). The key and its scope are normally checked before the body is read, by the onRequest hook
 * (authenticate.hook.ts); checked again here, so a route the hook does not know fails closed. Missing or
 * unknown key: 401; known key without the scope: 403; over the key's rate: 429.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeysService) private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.limiter = new RateLimiter(config.security.rateLimit.max, config.security.rateLimit.windowMs, clock);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal ?? (await this.authenticate(request));
    const wait = this.limiter.take(principal.id);
    if (wait > 0) throw new RateLimitedError(wait);
    if (!principal.scopes.includes(access)) throw new InsufficientScopeError(access);
    request.principal = principal;
    return true;
  }

  /** The onRequest hook (authenticate.hook.ts) has done this already, except on a route it counts as public. */
  private async authenticate(request: FastifyRequest): Promise<Principal> {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new MissingApiKeyError();
    const principal = await this.keys.authenticate(token);
    if (!principal) throw new InvalidApiKeyError();
    return principal;
  }
}
