import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';

/** Owns api_keys and the service over them: the HTTP app's AuthModule and the command line both import it. */
@Module({
  imports: [MikroOrmModule.forFeature([ApiKey])],
  providers: [ApiKeysService],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
