import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type pg from 'pg';
import { Logger } from '../../logging/logger.js';
import { EXIT } from '../../common/error-codes.js';
import { exitWhenDrained } from '../../common/process-exit.js';

/** A scratch database older than this belongs to no run still going (a rebuild takes seconds): swept. */
const STALE_SCRATCH_MS = 60 * 60 * 1000;

/** How long an interrupted run waits for its scratch database to be dropped before exiting anyway. */
const INTERRUPTED_DROP_MS = 10_000;

const logger = new Logger('Drift');
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** What every scratch database of `live` starts with (63 bytes is PostgreSQL's limit on a name). */
export function scratchPrefix(live: string): string {
  return `${live.slice(0, 32)}_drift_`;
}

/** `<live>_drift_<created at, base-36 seconds>_<random>`: the name says when it was made, for the sweep. */
export function scratchName(live: string, now = Date.now()): string {
  return `${scratchPrefix(live)}${Math.floor(now / 1000).toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** When a scratch database of `live` was created, read from its name; undefined for any other name. */
export function scratchCreatedAt(live: string, name: string): number | undefined {
  const prefix = scratchPrefix(live);
  const match = name.startsWith(prefix) ? /^([0-9a-z]{1,9})_[0-9a-f]{8}$/.exec(name.slice(prefix.length)) : null;
  return match ? parseInt(match[1], 36) * 1000 : undefined;
}

/**
 * Before names carried their creation time, a scratch database was `<live, 40 bytes>_drift_<8 hex>`, and an
 * interrupted run always left it behind. Its age is unknown: it is swept once no session is connected to it.
 */
const legacyScratchPrefix = (live: string) => `${live.slice(0, 40)}_drift_`;

export function isLegacyScratch(live: string, name: string): boolean {
  const prefix = legacyScratchPrefix(live);
  return name.startsWith(prefix) && /^[0-9a-f]{8}$/.test(name.slice(prefix.length));
}

/**
 * Drops the scratch databases of `live` that an interrupted or killed run left behind (older than
 * STALE_SCRATCH_MS, or of the older format with no session), a younger one may be another run's, in progress, and is left alone. A database that
 * cannot be dropped (another role's) is named in a warning, never a failure of this run.
 */
export async function sweepStaleScratch(admin: pg.Client, live: string): Promise<void> {
  const now = Date.now();
  const { rows } = await admin.query<{ datname: string; sessions: number }>(
    `select d.datname, (select count(*) from pg_stat_activity a where a.datname = d.datname)::int as sessions
       from pg_database d where starts_with(d.datname, $1) or starts_with(d.datname, $2)`,
    [scratchPrefix(live), legacyScratchPrefix(live)],
  );
  const stale = rows
    .filter((r) => (scratchCreatedAt(live, r.datname) ?? now) < now - STALE_SCRATCH_MS || (isLegacyScratch(live, r.datname) && r.sessions === 0))
    .map((r) => r.datname);
  for (const name of stale) {
    try {
      await admin.query(`drop database if exists ${quoted(name)} with (force)`);
      logger.log(`dropped the stale scratch database "${name}" that an interrupted run left behind`);
    } catch (error) {
      logger.warn(`could not drop the stale scratch database "${name}": ${(error as Error).message}`);
    }
  }
}

export interface ScratchDatabase {
  name: string;
  /** Settles once the database exists (or its creation failed). */
  created: Promise<void>;
  /** Idempotent: every caller waits for the same drop. Never rejects; a failure is a warning naming it. */
  drop(): Promise<void>;
}

/** Creates the scratch database on `admin`'s server; drop() waits for a creation still under way. */
export function createScratch(admin: pg.Client, name: string): ScratchDatabase {
  const created = admin.query(`create database ${quoted(name)} template template0`).then(() => undefined);
  let dropping: Promise<void> | undefined;
  return {
    name,
    created,
    drop: () =>
      (dropping ??= created
        .catch(() => undefined)
        .then(() => admin.query(`drop database if exists ${quoted(name)} with (force)`))
        .then(
          () => undefined,
          (error: unknown) => process.emitWarning(`could not drop the scratch database "${name}": ${(error as Error).message}`),
        )),
  };
}

/**
 * Runs `work` with `scratch` dropped first if the process is interrupted meanwhile: SIGINT (Ctrl-C),
 * SIGTERM, or EPIPE on stdout or stderr (whoever read them went away, e.g. `| head`), which would otherwise
 * end the process on the spot and leave the database behind. After the drop the process exits as the
 * interruption would have had it: 128 + the signal's number, or 1 for a closed pipe.
 */
export async function dropOnInterrupt<T>(scratch: ScratchDatabase, work: () => Promise<T>): Promise<T> {
  let interrupted = false;
  const interrupt = (code: number) => {
    if (interrupted) return;
    interrupted = true;
    // A server that no longer answers must not keep an interrupted command from ending.
    setTimeout(() => process.exit(code), INTERRUPTED_DROP_MS).unref();
    void scratch.drop().finally(() => exitWhenDrained(code));
  };
  const onSignal = (signal: NodeJS.Signals) => interrupt(128 + constants.signals[signal]);
  const onStreamError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    interrupt(EXIT.failed);
  };
  const streams = [process.stdout, process.stderr];
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  for (const stream of streams) stream.on('error', onStreamError);
  try {
    return await work();
  } finally {
    await scratch.drop();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    for (const stream of streams) stream.off('error', onStreamError);
  }
}
