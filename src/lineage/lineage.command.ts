import type { LineageReplayService } from './lineage-replay.js';

/**
 * `lineage replay`: rebuilds what OpenLineage reported from the stored raw events; returns the exit code.
 * The command line gives it the owner's connection with no statement timeout (a replay deletes rows the
 * service's role may not, and may take longer than any request should).
 */
export async function runLineageReplay(replay: LineageReplayService, print: (line: string) => void): Promise<number> {
  const started = Date.now();
  const s = await replay.replay();
  const replayed = Object.values(s.events).reduce((a, b) => a + b, 0);
  print(
    `replayed ${replayed} event(s) in ${Date.now() - started} ms: ${s.events.applied} applied, ${s.events.late} late, ` +
      `${s.events.stored} stored; ${s.rebuilt} execution(s) rebuilt`,
  );
  if (s.invalid > 0) print(`${s.invalid} stored event(s) are not valid by today's rules and were not replayed`);
  if (s.skippedRuns.length > 0) print(`left alone, also written through the REST API: ${s.skippedRuns.join(', ')}`);
  return 0;
}
