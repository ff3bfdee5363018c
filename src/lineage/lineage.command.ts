import { MikroORM } from '@mikro-orm/postgresql';
import { buildOrmOptions } from '../database/orm-options.js';
import type { AppConfig } from '../config/app.config.js';
import { forMigrations } from '../migrator/migration-settings.js';
import { replayLineage } from './lineage-replay.js';

export const LINEAGE_USAGE = `Usage: node dist/cli.js lineage <command>

Commands:
  replay                 rebuild the executions OpenLineage reported, their history and their quality
                         metrics from the stored raw events (lineage_events), in arrival order. One
                         transaction; OpenLineage ingestion waits until it commits. Connects as
                         MIGRATIONS_DATABASE_URL when set (it deletes rows the service's role may not)`;

export class LineageUsageError extends Error {}

/** The `lineage` command group; returns the exit code. */
export async function runLineageCommand(command: string | undefined, config: AppConfig, print: (line: string) => void): Promise<number> {
  if (command !== 'replay') throw new LineageUsageError(command ? `unknown lineage command "${command}"` : 'missing lineage command');
  // The owner's connection and no statement timeout: a replay may take longer than any request should.
  const orm = await MikroORM.init(buildOrmOptions(forMigrations(config), { logger: () => undefined }));
  try {
    const started = Date.now();
    const s = await replayLineage(orm.em.fork(), config);
    const replayed = Object.values(s.events).reduce((a, b) => a + b, 0);
    print(
      `replayed ${replayed} event(s) in ${Date.now() - started} ms: ${s.events.applied} applied, ${s.events.late} late, ` +
        `${s.events.stored} stored; ${s.rebuilt} execution(s) rebuilt`,
    );
    if (s.invalid > 0) print(`${s.invalid} stored event(s) are not valid by today's rules and were not replayed`);
    if (s.skippedRuns.length > 0) print(`left alone, also written through the REST API: ${s.skippedRuns.join(', ')}`);
    return 0;
  } finally {
    await orm.close(true);
  }
}
