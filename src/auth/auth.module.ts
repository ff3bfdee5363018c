import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysModule } from './api-keys.module.js';
import { FirstKeyBootstrap } from './first-key.bootstrap.js';

/** API keys over HTTP: guards every route (APP_GUARD) by the scope it declares, and creates the first key. */
@Module({
  imports: [ApiKeysModule],
  controllers: [ApiKeysController],
  providers: [FirstKeyBootstrap, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeysModule],
})
export class AuthModule {}
