import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../config/app.config.js';
import { ApiKeysService } from './api-keys.service.js';
import { KEYS_TABLE_EXISTS } from './api-keys.sql.js';

/**
 * Secure by default: a service that starts with no API key at all creates one with every scope and writes
 * it to a file only its owner can read. The key never goes to the log; it is printed once, on a terminal
 * only (stdout of a container is a log).
 */
@Injectable()
export class FirstKeyBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');

  constructor(
    @Inject(ApiKeysService) private readonly keys: ApiKeysService,
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // With MIGRATIONS_ON_BOOT=off the table may not exist yet; readiness reports the pending migration.
    const [{ exists }] = await KEYS_TABLE_EXISTS.run(this.em, {});
    if (!exists) return;
    const file = this.config.security.adminKeyFile;
    let shown: string | undefined;
    const created = await this.keys.createFirstKeyIfNone((key) => {
      // The folder keeps its usual mode: the embedded PostgreSQL (run as `postgres` under root) lives in it too.
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${key}\n`, { mode: 0o600 });
      chmodSync(file, 0o600); // writeFileSync's mode applies to new files only
      shown = key;
    });
    if (!created || shown === undefined) return;
    this.logger.warn(`no API key existed: created one with the scopes admin, manage, ingest and read; it is in ${file} (mode 0600)`);
    if (process.stdout.isTTY) process.stdout.write(`\n  Your first API key (shown once, also in ${file}):\n\n    ${shown}\n\n`);
  }
}
