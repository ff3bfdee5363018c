import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app.config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';

/** The command module: configuration and the database, without HTTP or the feature controllers. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule] };
  }
}
